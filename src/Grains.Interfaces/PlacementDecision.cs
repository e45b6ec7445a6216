using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>A placement: the chosen host, its score breakdown, how many hosts were eligible, why placement ran, and the best other candidates considered (with why each was refused).</summary>
[GenerateSerializer, Immutable, Alias("p2p.PlacementDecision.v1")]
public sealed record PlacementDecision(
    [property: Id(0)] string HostId,
    [property: Id(1)] HostKind Kind,
    [property: Id(2)] string Endpoint,
    [property: Id(3)] ScoreBreakdown Score,
    [property: Id(4)] int Eligible,
    [property: Id(5)] string Reason,
    [property: Id(6)] DateTimeOffset DecidedAt,
    [property: Id(7)] IReadOnlyList<Admin.CandidateScore>? Candidates = null);
