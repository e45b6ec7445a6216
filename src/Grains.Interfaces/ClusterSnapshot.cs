using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// The whole cluster's state at one moment, counted once however many silos there are: kept by
/// <see cref="IClusterStateGrain"/>, exported as the <c>p2p_cluster_*</c> gauges by the silo that hosts it, and the
/// input of every built-in alert rule.
/// </summary>
/// <param name="TakenAt">When the grain last refreshed it (every <c>monitoring.metrics_interval</c> ms).</param>
/// <param name="Hosts">Hosts by kind and status; statuses are <see cref="ClusterHostStatus"/>'s names.</param>
/// <param name="Maps">Configured maps by state; states are <see cref="ClusterMapState"/>'s names.</param>
/// <param name="UnassignedMaps">Each map without a host now, and since when (oldest first).</param>
/// <param name="PlayersOnline">Players on a map, as the live hosts last reported them (a character between two maps is not counted).</param>
/// <param name="SilosActive">Silos the membership table lists as active.</param>
/// <param name="FailoversLast5Min">Map moves forced off a host (any cause) in the 5 minutes before <paramref name="TakenAt"/>.</param>
/// <param name="RefusedWritesLastMinute">Per host, database-proxy writes refused in the last minute (hosts with none omitted).</param>
/// <param name="TicketRefusalsLastMinute">Ticket claims refused (any code) in the last minute.</param>
/// <param name="DatabaseUnreachableSince">Since when the cluster's database has not answered; null when it answers (always on the embedded default).</param>
[GenerateSerializer, Immutable, Alias("p2p.ClusterSnapshot.v1")]
public sealed record ClusterSnapshot(
    [property: Id(0)] DateTimeOffset TakenAt,
    [property: Id(1)] IReadOnlyList<HostCount> Hosts,
    [property: Id(2)] IReadOnlyList<MapCount> Maps,
    [property: Id(3)] IReadOnlyList<UnassignedMap> UnassignedMaps,
    [property: Id(4)] int PlayersOnline,
    [property: Id(5)] int SilosActive,
    [property: Id(6)] int FailoversLast5Min,
    [property: Id(7)] IReadOnlyList<HostRefusals> RefusedWritesLastMinute,
    [property: Id(8)] int TicketRefusalsLastMinute,
    [property: Id(9)] DateTimeOffset? DatabaseUnreachableSince);

/// <summary>How many hosts of one kind are in one status.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostCount.v1")]
public sealed record HostCount([property: Id(0)] HostKind Kind, [property: Id(1)] ClusterHostStatus Status, [property: Id(2)] int Count);

/// <summary>How many configured maps are in one state.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MapCount.v1")]
public sealed record MapCount([property: Id(0)] ClusterMapState State, [property: Id(1)] int Count);

/// <summary>A map that has no host, since <paramref name="Since"/>.</summary>
[GenerateSerializer, Immutable, Alias("p2p.UnassignedMap.v1")]
public sealed record UnassignedMap([property: Id(0)] string Map, [property: Id(1)] DateTimeOffset Since);

/// <summary>Refused database-proxy writes of one host in a window.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostRefusals.v1")]
public sealed record HostRefusals([property: Id(0)] string HostId, [property: Id(1)] int Count);

/// <summary>A host's status as the metrics and alerts see it (label <c>status</c>, lower case).</summary>
public enum ClusterHostStatus : byte
{
    /// <summary>Connected, heartbeating, eligible for maps.</summary>
    Online = 0,
    /// <summary>Connected but its heartbeats are late (within its lease), or players report it unreachable.</summary>
    Suspect = 1,
    /// <summary>Its maps are being moved away; it takes no new ones.</summary>
    Draining = 2,
    /// <summary>Refused by the operator.</summary>
    Banned = 3,
    /// <summary>Declared dead (missed its heartbeats) and not back yet.</summary>
    Dead = 4,
}

/// <summary>A configured map's state as the metrics and alerts see it (label <c>state</c>, lower case).</summary>
public enum ClusterMapState : byte
{
    /// <summary>Assigned to a volunteer P2P host and running.</summary>
    P2P = 0,
    /// <summary>Assigned to a VPS host and running.</summary>
    Vps = 1,
    /// <summary>No host.</summary>
    Unassigned = 2,
    /// <summary>Assigned, but its instance has not reported Running yet.</summary>
    Starting = 3,
    /// <summary>Taken out of service by the operator.</summary>
    Disabled = 4,
}
