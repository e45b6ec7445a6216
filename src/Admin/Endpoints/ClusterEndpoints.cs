using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Admin.Audit;
using P2PCluster.Admin.Auth;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Admin.Endpoints;

/// <summary>/api/v1 summary, network control, sessions, alerts and the audit.</summary>
public static class ClusterEndpoints
{
    /// <summary>Longest character name rAthena stores (<c>char.name</c> is varchar(30); NAME_LENGTH 24 with the terminator).</summary>
    public const int MaxCharacterName = 30;

    public static void Map(RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("cluster");
        api.MapGet("/summary", (Delegate)(async (HttpContext context) => Results.Ok(await AdminRoutes.Service(context).SummaryAsync(context.RequestAborted))))
            .Read<ClusterSummary>("Silos and their status, hosts and maps by state, players online, network control, active alerts.");
        api.MapGet("/network", (Delegate)(async (HttpContext context) => Results.Ok((await AdminRoutes.Service(context).SummaryAsync(context.RequestAborted)).Network)))
            .Read<NetworkControl>("Whether P2P placement is paused (emergency failover), since when and by whom.");
        api.MapPost("/network/emergency-failover", async (HttpContext context) =>
                (IResult)new AdminAnswer(await AdminRoutes.Service(context).EmergencyFailoverAsync(AdminCaller.Get(context)!.Name, CancellationToken.None)))
            .Operate("emergency-failover", "Every map on a P2P host moves to VPS; P2P placement pauses until resume.");
        api.MapPost("/network/resume", async (HttpContext context) =>
                (IResult)new AdminAnswer(await AdminRoutes.Service(context).ResumeP2PAsync(CancellationToken.None)))
            .Operate("resume", "Resume P2P placement after an emergency failover.");
        api.MapPost("/network/reset", async (HttpContext context) =>
                (IResult)new AdminAnswer(await AdminRoutes.Service(context).ResetNetworkAsync(CancellationToken.None)))
            .Operate("reset", "Revoke every assignment with a new epoch; the maps are placed again.");

        api.MapGet("/sessions", (Delegate)FindSessionsAsync)
            .Read<ItemList<SessionDetail>>("A player's sessions: exactly one of accountId, charId or name.")
            .Query("accountId", "an account id").Query("charId", "a character id").Query("name", "a character name");
        api.MapPost("/sessions/{charId}/end", EndSessionAsync)
            .Operate("end-session", "End a character's session: its host saves and drops the player.");

        api.MapGet("/alerts", (Delegate)AlertsAsync).Read<ItemList<Alert>>("Alerts: state=active (pending or firing, the default) or history (newest first); limit 1–1000.")
            .Query("state", "active (default) or history").Query("limit", "1–1000 (default 100)");
        api.MapGet("/audit", (Delegate)AuditAsync).Read<ItemList<AuditEntry>>("Operate calls, newest first; limit 1–1000 (default 100).")
            .Query("limit", "1–1000 (default 100)");
    }

    private static async Task<IResult> FindSessionsAsync(HttpContext context)
    {
        var request = context.Request;
        if (AdminInput.Int(request, "accountId", 1, int.MaxValue, 0, out int accountId) is { } badAccount) return badAccount;
        if (AdminInput.Int(request, "charId", 1, int.MaxValue, 0, out int charId) is { } badChar) return badChar;
        string? name = AdminInput.Single(request, "name", out var badName);
        if (badName is not null) return badName;
        if (name is not null && name.Length > MaxCharacterName)
            return AdminProblem.BadRequest("name", $"longer than {MaxCharacterName} characters");
        int given = (accountId > 0 ? 1 : 0) + (charId > 0 ? 1 : 0) + (name is not null ? 1 : 0);
        if (given != 1)
            return AdminProblem.BadRequest(given == 0 ? "accountId" : "charId", "give exactly one of accountId, charId, name");
        var sessions = await AdminRoutes.Service(context).FindSessionsAsync(
            accountId > 0 ? accountId : null, charId > 0 ? charId : null, name, context.RequestAborted);
        return Results.Ok(new ItemList<SessionDetail>(sessions));
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context, string charId)
    {
        if (!int.TryParse(charId, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id < 1)
            return AdminProblem.BadRequest("charId", $"'{charId}' is not a character id (a whole number from 1)");
        return new AdminAnswer(await AdminRoutes.Service(context).EndSessionAsync(id, CancellationToken.None));
    }

    private static async Task<IResult> AlertsAsync(HttpContext context)
    {
        string? state = AdminInput.Single(context.Request, "state", out var badState);
        if (badState is not null) return badState;
        if (AdminInput.Int(context.Request, "limit", 1, 1000, 100, out int limit) is { } badLimit) return badLimit;
        if (state is not null && state is not ("active" or "history"))
            return AdminProblem.BadRequest("state", $"'{state}' is not one of: active, history");
        var grain = context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IAlertGrain>(0);
        var alerts = state == "history" ? await grain.GetHistoryAsync(limit) : (await grain.GetActiveAsync()).Take(limit).ToList();
        return Results.Ok(new ItemList<Alert>(alerts));
    }

    private static async Task<IResult> AuditAsync(HttpContext context)
    {
        if (AdminInput.Int(context.Request, "limit", 1, 1000, 100, out int limit) is { } problem) return problem;
        var audit = context.RequestServices.GetRequiredService<IAdminAudit>();
        return Results.Ok(new ItemList<AuditEntry>(await audit.RecentAsync(limit, context.RequestAborted)));
    }
}
