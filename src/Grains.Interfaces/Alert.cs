namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// One alert of one built-in rule about one subject: pending, firing or resolved. Its <paramref name="Id"/> stays the
/// same from pending to resolved, so a receiver pairs a resolution with its firing.
/// </summary>
/// <param name="Id">32 hex digits, unique per alert.</param>
/// <param name="Rule">The rule's name (<c>map_unassigned</c>, <c>vps_share</c>, ...).</param>
/// <param name="Subject">The map (map_unassigned) or host (host_refused_writes) it is about; empty for a cluster-wide rule.</param>
/// <param name="Value">The measure when the alert fired (while pending: the latest one), in the rule's unit.</param>
/// <param name="Threshold">The rule's threshold when it was evaluated.</param>
/// <param name="StartedAt">When the condition was first seen.</param>
/// <param name="FiredAt">When it fired; null while pending.</param>
/// <param name="EndedAt">When it resolved; null until then.</param>
/// <param name="Summary">One line for people, e.g. "map prt_fild08 unassigned for 75 s (threshold 60 s)".</param>
[GenerateSerializer, Immutable, Alias("p2p.Alert.v1")]
public sealed record Alert(
    [property: Id(0)] string Id,
    [property: Id(1)] string Rule,
    [property: Id(2)] string Subject,
    [property: Id(3)] AlertState State,
    [property: Id(4)] double Value,
    [property: Id(5)] double Threshold,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] DateTimeOffset? FiredAt,
    [property: Id(8)] DateTimeOffset? EndedAt,
    [property: Id(9)] string Summary);
