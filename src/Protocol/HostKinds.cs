namespace P2PCluster.Protocol;

/// <summary>
/// The one text form of a <see cref="HostKind"/>: its lowercase name, <c>p2p</c> or <c>vps</c>, as p2p.conf's
/// <c>identity.kind</c>, the admin API, metric labels and the player client write it.
/// </summary>
public static class HostKinds
{
    /// <summary>The lowercase name of <paramref name="kind"/>.</summary>
    public static string Name(HostKind kind) => kind switch
    {
        HostKind.P2P => "p2p",
        HostKind.Vps => "vps",
        _ => $"kind {(byte)kind}",
    };

    /// <summary>The name of a host kind as a wire byte (IDENTIFY, ROUTE); an unknown byte is named by its number.</summary>
    public static string Name(byte wire) => Name((HostKind)wire);

    /// <summary>Parses a name in any case; false for anything else (numbers included).</summary>
    public static bool TryParse(string? text, out HostKind kind)
    {
        foreach (var candidate in Enum.GetValues<HostKind>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
