namespace P2PCluster.Protocol;

/// <summary>What a host reports about one map instance it runs.</summary>
public enum MapRunState : byte
{
    Starting = 0,
    Running = 1,
    Failed = 2,
    Stopped = 3,
}
