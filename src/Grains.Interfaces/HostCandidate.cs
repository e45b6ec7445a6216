using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// What the host directory knows about a host for placement (and for operators' host list): kept fresh by the host
/// grain, never persisted. <paramref name="Status"/> and <paramref name="Approved"/> are what the host grain holds.
/// </summary>
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
    [property: Id(8)] double LatencyMs = -1,
    [property: Id(9)] HostStatus Status = HostStatus.Online,
    [property: Id(10)] bool Approved = false);
