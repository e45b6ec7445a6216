using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;

namespace P2PCluster.Admin.Endpoints;

/// <summary>/api/v1/hosts: the list, one host, and approve, ban, drain and their undoing.</summary>
public static class HostEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("hosts");
        api.MapGet("/hosts", (Delegate)ListAsync).Read<HostPage>("Hosts, sorted by score (best first), filtered by status and kind, paged (limit 1–500).")
            .Query("status", "offline, online, draining or banned")
            .Query("kind", "p2p or vps")
            .Query("offset", "hosts to skip (default 0)")
            .Query("limit", "hosts to answer, 1–500 (default 50)");
        api.MapGet("/hosts/{hostId}", GetAsync).Read<HostDetail>("One host: key fingerprint, endpoint, load, maps with epochs, reliability, recent placements.");
        Operate(api, "approve", "Approve a host's key (it may connect when distribution.require_approval).", (a, id, ct) => a.ApproveHostAsync(id, true, ct));
        Operate(api, "unapprove", "Withdraw a host's approval.", (a, id, ct) => a.ApproveHostAsync(id, false, ct));
        Operate(api, "ban", "Ban a host: its connection closes, its maps move, reconnects are refused.", (a, id, ct) => a.BanHostAsync(id, true, ct));
        Operate(api, "unban", "Lift a host's ban.", (a, id, ct) => a.BanHostAsync(id, false, ct));
        Operate(api, "drain", "Drain a host: its maps move (placed again under new epochs), it gets no new maps.", (a, id, ct) => a.DrainHostAsync(id, true, ct));
        Operate(api, "undrain", "Let a drained host take maps again.", (a, id, ct) => a.DrainHostAsync(id, false, ct));
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var request = context.Request;
        if (AdminInput.Enum<HostStatus>(request, "status", out var status) is { } badStatus) return badStatus;
        if (AdminInput.Enum<HostKind>(request, "kind", out var kind) is { } badKind) return badKind;
        if (AdminInput.Int(request, "offset", 0, int.MaxValue, 0, out int offset) is { } badOffset) return badOffset;
        if (AdminInput.Int(request, "limit", 1, 500, 50, out int limit) is { } badLimit) return badLimit;
        var page = await AdminRoutes.Service(context).ListHostsAsync(new HostQuery(status, kind, offset, limit), context.RequestAborted);
        return HostPageJson.Result(context, page);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string hostId)
    {
        if (AdminInput.HostId(hostId) is { } problem) return problem;
        var host = await AdminRoutes.Service(context).GetHostAsync(hostId, context.RequestAborted);
        return host is null ? AdminProblem.NotFound("hostId", $"no host '{hostId}'") : Results.Ok(host);
    }

    private static void Operate(RouteGroupBuilder api, string action, string summary, Func<IClusterAdmin, string, CancellationToken, Task<AdminResult>> call)
    {
        api.MapPost($"/hosts/{{hostId}}/{action}", async (HttpContext context, string hostId) =>
        {
            if (AdminInput.HostId(hostId) is { } problem) return problem;
            // A backup must find this host after restarts (GET /state), whether or not it is connected then.
            if (action is "approve" or "ban") await StateEndpoints.RememberAsync(context, hostId);
            // Not the request's token: once sent, an action runs to its end even if the operator's browser goes away.
            return (IResult)new AdminAnswer(await call(AdminRoutes.Service(context), hostId, CancellationToken.None));
        }).Operate(action, summary);
    }
}
