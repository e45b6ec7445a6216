namespace P2PCluster.Grains;

/// <summary>Persisted state of a <see cref="HostStandingsGrain"/>: the host ids, a fresh set per instance.</summary>
[GenerateSerializer, Alias("p2p.HostStandingsState.v1")]
public sealed class HostStandingsState
{
    [Id(0)] public HashSet<string> HostIds { get; set; } = new(StringComparer.Ordinal);
}
