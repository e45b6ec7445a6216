namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// Why a host got a map: each component in [0, 1] and the weighted total in [0, 100]
/// (docs/placement.md gives the formula).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.ScoreBreakdown.v1")]
public sealed record ScoreBreakdown(
    [property: Id(0)] double Capacity,
    [property: Id(1)] double Cpu,
    [property: Id(2)] double Memory,
    [property: Id(3)] double Network,
    [property: Id(4)] double Reliability,
    [property: Id(5)] double Total,
    [property: Id(6)] double Latency = 0.5);
