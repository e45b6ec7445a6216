namespace P2PCluster.Protocol;

/// <summary>Who opens a connection to the gateway.</summary>
public enum PeerRole : byte
{
    HostAgent = 1,
    GameClient = 2,
    Tool = 3,
}
