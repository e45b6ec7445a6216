namespace P2PCluster.Admin.Endpoints;

/// <summary>POST /api/v1/maps/{name}/move: a host id, or "vps" for the best VPS host.</summary>
public sealed record MoveRequest(string To);
