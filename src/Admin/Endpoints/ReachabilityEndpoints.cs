using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// GET /api/v1/hosts/{hostId}/reachability: the cluster dials the host's advertised endpoint, as a player would
/// (p2p-diagnostic --network). A read: it sends nothing but a TCP connect and close.
/// </summary>
public static class ReachabilityEndpoints
{
    public const int DefaultTimeoutMs = 2000;

    public static void MapReachability(this RouteGroupBuilder group)
    {
        group.MapGroup("").WithTags("hosts")
            .MapGet("/hosts/{hostId}/reachability", ProbeAsync)
            .Read<EndpointProbe>($"Dials the host's advertised endpoint from a silo once (TCP connect, at most timeoutMs) and says whether it answered.")
            .Query("timeoutMs", $"longest wait, 100–{IEndpointProbeGrain.MaxTimeoutMs} ms (default {DefaultTimeoutMs})");
    }

    private static async Task<IResult> ProbeAsync(HttpContext context, string hostId)
    {
        if (AdminInput.HostId(hostId) is { } badId) return badId;
        if (AdminInput.Int(context.Request, "timeoutMs", 100, IEndpointProbeGrain.MaxTimeoutMs, DefaultTimeoutMs, out int timeoutMs) is { } badTimeout) return badTimeout;
        var host = await AdminRoutes.Service(context).GetHostAsync(hostId, context.RequestAborted);
        if (host is null) return AdminProblem.NotFound("hostId", $"no host '{hostId}'");
        if (host.Summary.Endpoint is not { Length: > 0 } endpoint) return AdminProblem.NotFound("hostId", $"host '{hostId}' has advertised no endpoint");
        var grains = context.RequestServices.GetService<IGrainFactory>() ?? throw new AdminServiceMissingException();
        return Results.Ok(await grains.GetGrain<IEndpointProbeGrain>(0).ProbeAsync(endpoint, timeoutMs));
    }
}
