namespace P2PCluster.Grains.Interfaces;

/// <summary>A host's measured load from its latest heartbeat.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostLoad.v1")]
public sealed record HostLoad(
    [property: Id(0)] double CpuPercent,
    [property: Id(1)] double MemoryPercent,
    [property: Id(2)] double NetworkMbps,
    [property: Id(3)] int Players)
{
    public static HostLoad Idle { get; } = new(0, 0, 0, 0);
}
