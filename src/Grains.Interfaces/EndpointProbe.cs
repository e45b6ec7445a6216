namespace P2PCluster.Grains.Interfaces;

/// <summary>What <see cref="IEndpointProbeGrain.ProbeAsync"/> saw: reachable or why not, how long it took, from which silo.</summary>
[GenerateSerializer, Immutable, Alias("p2p.EndpointProbe.v1")]
public sealed record EndpointProbe(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] bool Reachable,
    [property: Id(2)] double ElapsedMs,
    [property: Id(3)] string? Error,
    [property: Id(4)] string ProbedFrom,
    [property: Id(5)] DateTimeOffset ProbedAt,
    [property: Id(6)] string? Map = null);
