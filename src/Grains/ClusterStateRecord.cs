using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// Persisted state of the <see cref="ClusterStateGrain"/>: the hosts that are dead or banned, which no directory lists
/// and whose grains may have deactivated, so a new activation (after its silo died) still counts them.
/// </summary>
[GenerateSerializer, Alias("p2p.ClusterStateRecord.v1")]
public sealed class ClusterStateRecord
{
    [Id(0)] public List<MarkedHost> Hosts { get; set; } = [];
}

/// <summary>A dead or banned host as last reported at <paramref name="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MarkedHost.v1")]
public sealed record MarkedHost([property: Id(0)] string HostId, [property: Id(1)] HostKind Kind,
    [property: Id(2)] ClusterHostStatus Status, [property: Id(3)] DateTimeOffset At);
