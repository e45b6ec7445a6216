namespace P2PCluster.Protocol;

/// <summary>What a map name may be everywhere in the cluster: 1–11 characters of <c>[A-Za-z0-9_@.-]</c> (rAthena's <c>char.last_map</c> is varchar(11)).</summary>
public static class MapNames
{
    public const int MaxLength = 11;

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '.' or '-');
}
