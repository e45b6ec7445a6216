namespace P2PCluster.HostAgent;

/// <summary>What kind of machine this is, as claimed in IDENTIFY (the wire value is the enum value).</summary>
public enum HostKind : byte
{
    /// <summary>A volunteer player's PC.</summary>
    P2p = 0,

    /// <summary>An operator-run server, the fallback for maps no player PC may or can host.</summary>
    Vps = 1,
}
