using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// GET /api/v1/hosts/{hostId}/reachability: the cluster dials, as a player would, every endpoint it sends players to
/// on that host — each running map's instance (the host's advertised address with the instance's port), not the
/// advertised port itself, where nothing need listen once a map moved (p2p-diagnostic --network). A read: it sends
/// nothing but a TCP connect and close.
/// </summary>
public static class ReachabilityEndpoints
{
    public const int DefaultTimeoutMs = 2000;

    public static void MapReachability(this RouteGroupBuilder group)
    {
        group.MapGroup("").WithTags("hosts")
            .MapGet("/hosts/{hostId}/reachability", ProbeAsync)
            .Read<HostReachability>("Dials each running map's endpoint on the host from a silo once (TCP connect, at most timeoutMs each, in parallel) " +
                "and says whether it answered; no probes when the host runs no map.")
            .Query("timeoutMs", $"longest wait, 100–{IEndpointProbeGrain.MaxTimeoutMs} ms (default {DefaultTimeoutMs})");
    }

    private static async Task<IResult> ProbeAsync(HttpContext context, string hostId)
    {
        if (AdminInput.HostId(hostId) is { } badId) return badId;
        if (AdminInput.Int(context.Request, "timeoutMs", 100, IEndpointProbeGrain.MaxTimeoutMs, DefaultTimeoutMs, out int timeoutMs) is { } badTimeout) return badTimeout;
        var host = await AdminRoutes.Service(context).GetHostAsync(hostId, context.RequestAborted);
        if (host is null) return AdminProblem.NotFound("hostId", $"no host '{hostId}'");
        var grains = context.RequestServices.GetService<IGrainFactory>() ?? throw new AdminServiceMissingException();
        var maps = await Task.WhenAll(host.MapEpochs.Keys.Order(StringComparer.Ordinal).Select(map => grains.GetGrain<IMapGrain>(map).GetAsync()));
        var probes = await Task.WhenAll(maps
            .Where(m => m.Assignment?.HostId == hostId && m.InstanceState == MapInstanceState.Running && m.InstancePort > 0)
            .Select(async m => await grains.GetGrain<IEndpointProbeGrain>(0).ProbeAsync(m.Assignment!.InstanceEndpoint(m.InstancePort), timeoutMs) with { Map = m.Name }));
        return Results.Ok(new HostReachability(hostId, probes));
    }
}
