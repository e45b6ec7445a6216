namespace P2PCluster.Protocol;

/// <summary>What a map name may be everywhere in the cluster: 1–11 characters of <c>[A-Za-z0-9_@.-]</c> (rAthena's <c>char.last_map</c> is varchar(11)).</summary>
public static class MapNames
{
    public const int MaxLength = 11;

    public static bool IsValid(string? name) => !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name.All(IsNameChar);

    /// <summary>The characters of map names and host ids.</summary>
    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '.' or '-';
}

/// <summary>What a host id may be: 1–64 characters of <c>[A-Za-z0-9_@.-]</c> (the hex of a 32-byte key fits, with room for a prefix).</summary>
public static class HostIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) => !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(MapNames.IsNameChar);
}
