namespace P2PCluster.Admin.Endpoints;

/// <summary>Endpoint metadata: a query parameter a route reads itself (so the OpenAPI document lists it).</summary>
public sealed record AdminQueryParameter(string Name, string Description);
