using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>A host's measured load from its latest heartbeat, in percent and Mbit/s (the wire's units: <see cref="HeartbeatLoad"/>).</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostLoad.v1")]
public sealed record HostLoad(
    [property: Id(0)] double CpuPercent,
    [property: Id(1)] double MemoryPercent,
    [property: Id(2)] double NetworkMbps,
    [property: Id(3)] int Players)
{
    public static HostLoad Idle { get; } = new(0, 0, 0, 0);

    /// <summary>The load a heartbeat carried, in the cluster's units, with the players its maps reported.</summary>
    public static HostLoad Of(HeartbeatLoad load, int players) => new(load.CpuPercent, load.MemoryPercent, load.NetworkMbps, players);
}
