namespace P2PCluster.Control;

/// <summary>
/// p2p-control's config file: <c>name: value</c> lines (<c>url</c>, <c>key_file</c>, <c>key</c>), blank lines and
/// <c>#</c> comments ignored; a YAML subset, as conf/p2p/*.conf. An unreadable file, an unknown name or a line without a
/// colon is exit 2 naming the file and line.
/// </summary>
public sealed record ControlConfig(string? Path, string? Url, string? KeyFile, string? Key)
{
    private static readonly string[] Names = ["url", "key_file", "key"];

    public static readonly ControlConfig None = new(null, null, null, null);

    /// <summary>Where a bad <c>url</c> came from, for the message that names it.</summary>
    public string UrlOrigin => $"{Path}: url";

    public static ControlConfig Load(string path, string option)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ControlException.BadArgument(option, $"cannot read {path}: {e.Message}");
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? "" : line[..colon].Trim();
            if (colon < 0 || !Names.Contains(name))
                throw ControlException.BadArgument(option, $"{path} line {i + 1}: expected 'name: value' with name one of {string.Join(", ", Names)}");
            string value = line[(colon + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'')) value = value[1..^1];
            if (value.Length == 0) throw ControlException.BadArgument(option, $"{path} line {i + 1}: {name} has no value");
            values[name] = value;
        }
        if (values.ContainsKey("key") && values.ContainsKey("key_file"))
            throw ControlException.BadArgument(option, $"{path}: give key or key_file, not both");
        // A relative key_file is beside the config file, wherever p2p-control runs from.
        string? keyFile = values.GetValueOrDefault("key_file") is { } file
            ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, file) : null;
        return new ControlConfig(path, values.GetValueOrDefault("url"), keyFile, values.GetValueOrDefault("key"));
    }
}
