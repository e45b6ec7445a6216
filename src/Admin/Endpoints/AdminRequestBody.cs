namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// Endpoint metadata: the JSON body a route reads itself, for the OpenAPI document only. Not <c>Accepts</c>: that
/// would make routing answer an empty 415 to <c>curl -d</c> (form content type) before auth, problem or audit.
/// </summary>
public sealed record AdminRequestBody(Type Type);
