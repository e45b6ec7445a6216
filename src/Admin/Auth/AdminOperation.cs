using P2PCluster.Hosting;

namespace P2PCluster.Admin.Auth;

/// <summary>
/// Endpoint metadata: the role a route needs and, for an operate route, the action name its audit rows carry. Read by
/// the auth filter and the OpenAPI document, so both say the same.
/// </summary>
public sealed record AdminOperation(AdminRole Role, string? Action = null);
