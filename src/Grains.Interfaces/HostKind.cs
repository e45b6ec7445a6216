namespace P2PCluster.Grains.Interfaces;

/// <summary>Whether a host is a volunteer player PC or an operator-run VPS.</summary>
public enum HostKind : byte
{
    P2P = 0,
    Vps = 1,
}
