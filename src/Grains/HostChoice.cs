using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// A host <see cref="HostIndex.Place"/> chose: the host as it was when chosen, its score, how many hosts were eligible,
/// and the best hosts considered (<see cref="HostIndex.Considered"/>).
/// </summary>
public readonly record struct HostChoice(HostCandidate Host, ScoreBreakdown Score, int Eligible, IReadOnlyList<Interfaces.Admin.CandidateScore>? Considered = null);
