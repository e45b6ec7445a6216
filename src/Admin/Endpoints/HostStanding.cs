namespace P2PCluster.Admin.Endpoints;

/// <summary>A host's approval and ban, an entry of GET /api/v1/state.</summary>
public sealed record HostStanding(string HostId, bool Approved, bool Banned);
