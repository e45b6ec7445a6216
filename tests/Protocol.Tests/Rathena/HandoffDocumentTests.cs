using System.Text.RegularExpressions;
using P2PCluster.TestSupport;

namespace P2PCluster.Protocol.Tests.Rathena;

/// <summary>docs/protocol.md §11 shows the hand-written bytes of <see cref="HandoffVectors"/>; they cannot drift apart.</summary>
public sealed class HandoffDocumentTests
{
    private static readonly string DocPath = Path.Combine(RepoPaths.Root, "docs", "protocol.md");
    private static readonly Regex Block = new("```rathena-vectors\\r?\\n(.*?)```", RegexOptions.Singleline);
    private static readonly Regex Line = new("^([a-z0-9_]+) = ((?:[0-9a-f]{2})+)$");

    [Fact]
    public void DocumentedVectorsAreTheHandWrittenBytes()
    {
        var block = Block.Match(File.ReadAllText(DocPath));
        Assert.True(block.Success, $"{DocPath} has no ```rathena-vectors block");
        var documented = new Dictionary<string, string>();
        foreach (string line in block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Line.Match(line);
            Assert.True(match.Success, $"{DocPath}: rathena-vectors line '{line}' is not 'name = lowercase hex'");
            Assert.True(documented.TryAdd(match.Groups[1].Value, match.Groups[2].Value), $"{DocPath}: {match.Groups[1].Value} appears twice");
        }
        Assert.Equal(HandoffVectors.ByDocName.OrderBy(p => p.Key), documented.OrderBy(p => p.Key));
    }
}
