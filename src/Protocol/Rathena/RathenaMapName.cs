using System.Text;

namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// Map names in rAthena's client packets: the bare name (as in maps_athena.conf and <c>char.last_map</c>) with
/// <c>.gat</c> appended and zero-padded to 16 bytes, as rAthena's <c>mapindex_getmapname_ext</c> writes them.
/// </summary>
public static class RathenaMapName
{
    /// <summary><c>MAP_NAME_LENGTH</c> − 1; also <c>char.last_map varchar(11)</c>.</summary>
    public const int MaxLength = 11;

    /// <summary><c>MAP_NAME_LENGTH_EXT</c>: name, extension and at least one terminating NUL.</summary>
    public const int FieldLength = 16;

    public const string Extension = ".gat";

    public static bool IsValid(string? map) => Problem(map) is null;

    /// <summary>
    /// Null if <paramref name="map"/> reaches the client unchanged, else why not. rAthena would silently alter the
    /// names refused here (truncate them, cut at whitespace, drop a prefix up to '#'), sending the client elsewhere.
    /// </summary>
    public static string? Problem(string? map)
    {
        if (string.IsNullOrEmpty(map)) return "map name is empty";
        for (int i = 0; i < map.Length; i++)
        {
            char c = map[i];
            if (c == '\0') return $"map name has a NUL at index {i}, which would end it early on the wire";
            if (c is < '!' or > '~') return $"map name has U+{(int)c:X4} at index {i}; rAthena map names are printable ASCII without spaces";
        }
        if (map.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
            return $"map name '{map}' ends in \"{Extension}\"; pass the bare name, the extension is added on the wire";
        if (map.Length > MaxLength)
            return $"map name '{map}' has {map.Length} characters; rAthena allows at most {MaxLength} ({MaxLength} + \"{Extension}\" + NUL fill the {FieldLength}-byte field)";
        if (map.Contains('#'))
            return $"map name '{map}' contains '#'; rAthena's mapindex_getmapname_ext drops everything up to it";
        return null;
    }

    internal static string Require(string map, string paramName) =>
        Problem(map) is { } problem ? throw new ArgumentException(problem, paramName) : map;

    /// <summary>Writes into a field the caller has zeroed.</summary>
    internal static void Write(Span<byte> field, string map)
    {
        int length = Encoding.ASCII.GetBytes(map, field);
        Encoding.ASCII.GetBytes(Extension, field[length..]);
    }

    /// <summary>A valid name, then exactly ".gat", then zeros to the end of the field.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> field, out string map)
    {
        map = "";
        int end = field.IndexOf((byte)0);
        if (end < 0 || field[end..].ContainsAnyExcept((byte)0) || !field[..end].EndsWith(".gat"u8)) return false;
        var name = field[..(end - Extension.Length)];
        if (!Ascii.IsValid(name)) return false;
        string candidate = Encoding.ASCII.GetString(name);
        if (!IsValid(candidate)) return false;
        map = candidate;
        return true;
    }
}
