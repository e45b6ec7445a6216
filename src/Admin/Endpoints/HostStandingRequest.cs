namespace P2PCluster.Admin.Endpoints;

/// <summary>PUT /api/v1/state/hosts/{hostId}: both fields required.</summary>
public sealed record HostStandingRequest(bool Approved, bool Banned);
