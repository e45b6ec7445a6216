using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Admin.Endpoints;

/// <summary>/api/v1/maps: every map, one map with its placement history, move, policy changes, disable and enable.</summary>
public static class MapEndpoints
{
    private static readonly string[] MoveFields = ["to"];
    private static readonly string[] PolicyFields = ["critical", "p2pAllowed", "minScore", "maxPlayers"];

    public static void Map(RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("maps");
        api.MapGet("/maps", (Delegate)ListAsync).Read<ItemList<MapSummary>>("Every map: policy, status, host, epoch, players, and why it is where it is.");
        api.MapGet("/maps/{name}", GetAsync).Read<MapDetail>("One map: policy (configured and current), assignment, and its last placement decisions with candidates.");
        api.MapPost("/maps/{name}/move", MoveAsync).WithMetadata(new AdminRequestBody(typeof(MoveRequest)))
            .Operate("move", "Move a map to a named host, or to \"vps\" (the best VPS host).");
        api.MapPatch("/maps/{name}/policy", PolicyAsync).WithMetadata(new AdminRequestBody(typeof(MapPolicyPatch)))
            .Operate("policy", "Change a map's policy at run time (only the fields given); persisted.");
        Disable(api, "disable", "Take a map out of service: it leaves its host and is never placed; players' resolves are refused (MapUnavailable) until enabled. Persisted.", true);
        Disable(api, "enable", "Put a disabled map back in service: it is placed again.", false);
    }

    private static void Disable(RouteGroupBuilder api, string action, string summary, bool disabled)
    {
        api.MapPost($"/maps/{{name}}/{action}", async (HttpContext context, string name) =>
        {
            if (AdminInput.MapName(name) is { } problem) return problem;
            // Not the request's token: once sent, an action runs to its end even if the operator's browser goes away.
            return (IResult)new AdminAnswer(await AdminRoutes.Service(context).SetMapDisabledAsync(name, disabled, CancellationToken.None));
        }).Operate(action, summary);
    }

    private static async Task<IResult> ListAsync(HttpContext context) =>
        Results.Ok(new ItemList<MapSummary>(await AdminRoutes.Service(context).ListMapsAsync(context.RequestAborted)));

    private static async Task<IResult> GetAsync(HttpContext context, string name)
    {
        if (AdminInput.MapName(name) is { } problem) return problem;
        var map = await AdminRoutes.Service(context).GetMapAsync(name, context.RequestAborted);
        return map is null ? AdminProblem.NotFound("name", $"no map '{name}'") : Results.Ok(map);
    }

    private static async Task<IResult> MoveAsync(HttpContext context, string name)
    {
        if (AdminInput.MapName(name) is { } problem) return problem;
        var (body, bodyProblem) = await JsonBody.ReadObjectAsync(context.Request, MoveFields, context.RequestAborted);
        if (bodyProblem is not null) return bodyProblem;
        if (!body!.TryGetValue("to", out var to) || to.ValueKind != JsonValueKind.String)
            return AdminProblem.BadRequest("to", "required: a host id, or \"vps\"");
        string target = to.GetString()!;
        string? host = string.Equals(target, "vps", StringComparison.OrdinalIgnoreCase) ? null : target;
        if (host is not null && !Names.IsValidHostId(host))
            return AdminProblem.BadRequest("to", $"'{host}' is not a host id (or \"vps\")");
        return new AdminAnswer(await AdminRoutes.Service(context).MoveMapAsync(name, host, CancellationToken.None));
    }

    private static async Task<IResult> PolicyAsync(HttpContext context, string name)
    {
        if (AdminInput.MapName(name) is { } problem) return problem;
        var (body, bodyProblem) = await JsonBody.ReadObjectAsync(context.Request, PolicyFields, context.RequestAborted);
        if (bodyProblem is not null) return bodyProblem;
        if (body!.Count == 0) return AdminProblem.BadRequest("body", $"give at least one of: {string.Join(", ", PolicyFields)}");
        bool? critical = null, p2p = null;
        double? minScore = null;
        int? maxPlayers = null;
        foreach (var (field, value) in body)
        {
            switch (field)
            {
                case "critical" or "p2pAllowed":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return AdminProblem.BadRequest(field, "must be true or false");
                    if (field == "critical") critical = value.GetBoolean();
                    else p2p = value.GetBoolean();
                    break;
                case "minScore":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double score) || score is < 0 or > 100)
                        return AdminProblem.BadRequest(field, "must be a number from 0 to 100");
                    minScore = score;
                    break;
                case "maxPlayers":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int players) || players is < 1 or > 65535)
                        return AdminProblem.BadRequest(field, "must be a whole number from 1 to 65535");
                    maxPlayers = players;
                    break;
            }
        }
        return new AdminAnswer(await AdminRoutes.Service(context)
            .SetMapPolicyAsync(name, new MapPolicyPatch(critical, p2p, minScore, maxPlayers), CancellationToken.None));
    }
}
