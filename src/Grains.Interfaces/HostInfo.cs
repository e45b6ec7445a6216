using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>A snapshot of a host grain. <paramref name="MapPlayers"/>: players per map as the last heartbeat reported them.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostInfo.v1")]
public sealed record HostInfo(
    [property: Id(0)] string HostId,
    [property: Id(1)] byte[]? PublicKey,
    [property: Id(2)] HostKind Kind,
    [property: Id(3)] HostStatus Status,
    [property: Id(4)] string? Endpoint,
    [property: Id(5)] IReadOnlyDictionary<string, long> Maps,
    [property: Id(6)] HostReliability Reliability,
    [property: Id(7)] DateTimeOffset? OnlineSince,
    [property: Id(8)] bool Approved = false,
    [property: Id(9)] bool Draining = false,
    [property: Id(10)] HostCapacity? Capacity = null,
    [property: Id(11)] IReadOnlyDictionary<string, int>? MapPlayers = null);
