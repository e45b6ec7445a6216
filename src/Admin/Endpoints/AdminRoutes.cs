using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Admin.Auth;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Endpoints;

/// <summary>What every route shares: the service behind it and the metadata the auth filter and OpenAPI read.</summary>
public static class AdminRoutes
{
    public static IClusterAdmin Service(HttpContext context) =>
        context.RequestServices.GetService<IClusterAdmin>() ?? throw new AdminServiceMissingException();

    /// <summary>A read route: any key; answers <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder Read<T>(this RouteHandlerBuilder route, string summary) =>
        route.WithMetadata(new AdminOperation(AdminRole.Read))
            .WithSummary(summary)
            .WithDescription("Role: read (any key).")
            .Produces<T>(StatusCodes.Status200OK)
            .Problems();

    /// <summary>An operate route: an operate key; answers an <see cref="AdminResult"/>, and leaves an audit row.</summary>
    public static RouteHandlerBuilder Operate(this RouteHandlerBuilder route, string action, string summary) =>
        route.WithMetadata(new AdminOperation(AdminRole.Operate, action))
            .WithSummary(summary)
            .WithDescription($"Role: operate. Audited as action '{action}'. Idempotent: a repeat answers changed: false.")
            .Produces<AdminResult>(StatusCodes.Status200OK)
            .Problems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>Documents a query parameter the handler reads from the request.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder route, string name, string description) =>
        route.WithMetadata(new AdminQueryParameter(name, description));

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
