namespace P2PCluster.Grains.Interfaces;

/// <summary>What the host directory knows about a host for placement: kept fresh by the host grain, never persisted.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostCandidate.v1")]
public sealed record HostCandidate(
    [property: Id(0)] string HostId,
    [property: Id(1)] HostKind Kind,
    [property: Id(2)] string Endpoint,
    [property: Id(3)] HostCapacity Capacity,
    [property: Id(4)] HostLoad Load,
    [property: Id(5)] int Maps,
    [property: Id(6)] double Reliability,
    [property: Id(7)] bool Accepting,
    [property: Id(8)] double LatencyMs = -1);
