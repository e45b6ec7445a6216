namespace P2PCluster.Protocol;

/// <summary>
/// Whether a host is a volunteer player PC or an operator-run VPS: the one model of it, here because every side uses it
/// (IDENTIFY and ROUTE carry it as a byte, grain state stores it, p2p.conf and the admin API name it). The numeric values
/// are the wire's byte and the stored state's number: they never change.
/// </summary>
public enum HostKind : byte
{
    /// <summary>A volunteer player's PC.</summary>
    P2P = 0,

    /// <summary>An operator-run server, the fallback for maps no player PC may or can host.</summary>
    Vps = 1,
}
