using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// /api/v1/state: what <c>p2p-control --backup-state</c> saves and <c>--restore-state</c> puts back — host approvals and
/// bans, and map policies with whether each is a run-time override. The restore route sets a host's standing whether
/// or not the cluster has seen the host yet (a fresh cluster has not): the host id is its key's (docs/protocol.md §8),
/// so approving or banning it ahead of its first connection is approving or banning that key.
/// </summary>
public static class StateEndpoints
{
    private const int HostPageSize = 500;
    private const int MapBatch = 64;
    private static readonly string[] StandingFields = ["approved", "banned"];

    public static void MapStateEndpoints(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("state");
        api.MapGet("/state", (Delegate)GetAsync)
            .Read<ClusterStateView>("Host approvals and bans (hosts with either), and every map's policy with whether it is a run-time override, and whether it is disabled.");
        api.MapPut("/state/hosts/{hostId}", PutHostAsync).WithMetadata(new AdminRequestBody(typeof(HostStandingRequest)))
            .Operate("restore-host", "Set a host's approval and ban, known to the cluster or not (restore of a backup).");
    }

    private static async Task<IResult> GetAsync(HttpContext context)
    {
        var admin = AdminRoutes.Service(context);
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        var hosts = new List<HostStanding>();
        int offset = 0, total = int.MaxValue;
        // Bounded: the directory's total, with a page cap in case it grows while we read.
        for (int pages = 0; offset < total && pages < 10_000; pages++)
        {
            var page = await admin.ListHostsAsync(new HostQuery(null, null, offset, HostPageSize), context.RequestAborted);
            total = page.Total;
            if (page.Items.Count == 0) break;
            offset += page.Items.Count;
            hosts.AddRange(page.Items.Where(h => h.Approved || h.Status == HostStatus.Banned)
                .Select(h => new HostStanding(h.HostId, h.Approved, h.Status == HostStatus.Banned)));
        }
        // The directory lists the hosts seen since it activated; the ones an operator approved or banned before a
        // restart, and that have not come back since, are found through the index and read from their own grains.
        var listed = hosts.Select(h => h.HostId).ToHashSet(StringComparer.Ordinal);
        var remembered = (await grains.GetGrain<IHostStandingsGrain>(0).ListAsync()).Where(id => !listed.Contains(id)).ToList();
        foreach (var batch in remembered.Chunk(MapBatch))
        {
            var infos = await Task.WhenAll(batch.Select(id => grains.GetGrain<IHostGrain>(id).GetAsync()));
            hosts.AddRange(infos.Where(i => i.Approved || i.Status == HostStatus.Banned)
                .Select(i => new HostStanding(i.HostId, i.Approved, i.Status == HostStatus.Banned)));
        }
        var maps = new List<MapPolicyState>();
        foreach (var batch in (await admin.ListMapsAsync(context.RequestAborted)).Chunk(MapBatch))
        {
            var details = await Task.WhenAll(batch.Select(m => admin.GetMapAsync(m.Name, context.RequestAborted)));
            maps.AddRange(details.OfType<MapDetail>().Select(d => new MapPolicyState(d.Summary.Name, d.Summary.Policy, d.PolicyOverridden,
                d.Summary.Status == MapStatus.Disabled)));
        }
        return Results.Ok(new ClusterStateView(
            (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow(),
            [.. hosts.DistinctBy(h => h.HostId).OrderBy(h => h.HostId, StringComparer.Ordinal)],
            [.. maps.OrderBy(m => m.Name, StringComparer.Ordinal)]));
    }

    private static async Task<IResult> PutHostAsync(HttpContext context, string hostId)
    {
        if (AdminInput.HostId(hostId) is { } problem) return problem;
        var (body, bodyProblem) = await JsonBody.ReadObjectAsync(context.Request, StandingFields, context.RequestAborted);
        if (bodyProblem is not null) return bodyProblem;
        var values = new bool[StandingFields.Length];
        for (int i = 0; i < StandingFields.Length; i++)
        {
            string field = StandingFields[i];
            if (!body!.TryGetValue(field, out var value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return AdminProblem.BadRequest(field, "required: true or false");
            values[i] = value.GetBoolean();
        }
        bool approved = values[0], banned = values[1];
        var admin = AdminRoutes.Service(context);
        // Indexed before the change (see RememberAsync); the standing itself is the cluster service's to change.
        if (approved || banned) await RememberAsync(context, hostId);
        return new AdminAnswer(await admin.SetHostStandingAsync(hostId, approved, banned, CancellationToken.None));
    }

    /// <summary>
    /// Indexes a host about to be approved or banned (before the change, so a failure in between leaves only a harmless
    /// id), for GET /state to find after restarts. Every route that approves or bans calls it.
    /// </summary>
    public static Task RememberAsync(HttpContext context, string hostId) =>
        context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IHostStandingsGrain>(0).RememberAsync(hostId);

}
