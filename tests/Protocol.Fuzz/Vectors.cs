using System.Text.RegularExpressions;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// The test vectors of docs/protocol.md ("Test vectors"), read once: the keys the targets run the handshake and the
/// channel with, and the seeds. tests/Protocol.Tests/ProtocolVectorTests proves them equal to what src/Protocol computes.
/// </summary>
internal static partial class Vectors
{
    private static readonly Lazy<Dictionary<string, byte[]>> All = new(Load);

    public static IReadOnlyDictionary<string, byte[]> Documented => All.Value;

    public static byte[] Get(string name) =>
        All.Value.TryGetValue(name, out var bytes) ? bytes : throw new KeyNotFoundException($"docs/protocol.md has no vector {name}");

    /// <summary>The repository root: the nearest folder up from the working directory (or the binary) holding docs/protocol.md.</summary>
    public static string RepoRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "docs", "protocol.md"))) return dir.FullName;
        throw new InvalidOperationException("docs/protocol.md not found above the working directory; run from the repository");
    }

    private static Dictionary<string, byte[]> Load()
    {
        string path = Path.Combine(RepoRoot(), "docs", "protocol.md");
        var block = VectorsBlock().Match(File.ReadAllText(path));
        if (!block.Success) throw new InvalidOperationException($"{path} has no ```vectors block");
        var vectors = new Dictionary<string, byte[]>();
        foreach (string line in block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = VectorLine().Match(line);
            if (!match.Success) throw new InvalidOperationException($"{path}: vectors line '{line}' is not 'name = hex'");
            vectors[match.Groups[1].Value] = Convert.FromHexString(match.Groups[2].Value);
        }
        return vectors;
    }

    [GeneratedRegex("```vectors\\r?\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex VectorsBlock();

    [GeneratedRegex("^([a-z0-9_]+) = ((?:[0-9a-f]{2})+)$")]
    private static partial Regex VectorLine();
}
