namespace P2PCluster.Grains.Interfaces;

/// <summary>A heartbeat as the gateway forwards it to the host grain (never persisted).</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostHeartbeat.v1")]
public sealed record HostHeartbeat(
    [property: Id(0)] HostLoad Load,
    [property: Id(1)] IReadOnlyList<MapInstanceReport> Maps);
