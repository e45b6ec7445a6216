using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Characters;

/// <summary>What a queued item's caller gets once its batch commits: an outcome, or a refusal to throw (<see cref="Error"/> not null).</summary>
internal readonly record struct BatchAnswer(WriteOutcome Outcome, ClusterException? Error);
