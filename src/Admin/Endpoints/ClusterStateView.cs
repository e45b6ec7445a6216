namespace P2PCluster.Admin.Endpoints;

/// <summary>GET /api/v1/state: what a backup holds (host standings, map policies), sorted by name.</summary>
public sealed record ClusterStateView(DateTimeOffset TakenAt, IReadOnlyList<HostStanding> Hosts, IReadOnlyList<MapPolicyState> Maps);
