using System.Globalization;
using System.Text.Json.Nodes;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>How a route (from ROUTE or MOVE), an ENTERED and a warp are shown, shared by the subcommands that resolve and enter.</summary>
public static class RouteReport
{
    public static JsonObject Route(RouteInfo route, CharacterEntry character) => new()
    {
        ["char_id"] = character.CharId, ["char"] = character.Name, ["map"] = route.Map, ["host_id"] = route.HostId,
        ["host_kind"] = HostKinds.Name(route.HostKind), ["endpoint"] = route.Endpoint, ["epoch"] = route.Epoch, ["expires_ms"] = route.ExpiresMs,
    };

    public static string DescribeRoute(RouteInfo route, CharacterEntry character, string label = "route") =>
        $"{label}: {character.Name} ({character.CharId}) → {route.Map} on host {route.HostId} ({HostKinds.Name(route.HostKind)}) at {route.Endpoint}, " +
        $"epoch {route.Epoch}; " +
        $"ticket valid until {DateTimeOffset.FromUnixTimeMilliseconds(route.ExpiresMs).ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>ENTERED, with the character as its host admitted it (the state the last host saved: what a warp carries).</summary>
    public static JsonObject Entered(EnteredPacket entered, RouteInfo route) => new()
    {
        ["account_id"] = entered.AccountId, ["char_id"] = entered.CharId, ["map"] = entered.Map, ["epoch"] = entered.Epoch,
        ["host_id"] = route.HostId, ["host_kind"] = HostKinds.Name(route.HostKind), ["endpoint"] = route.Endpoint, ["state"] = State(entered.State),
    };

    public static string DescribeEntered(EnteredPacket entered, RouteInfo route) =>
        $"entered {entered.Map} on host {route.HostId} at {route.Endpoint}, epoch {entered.Epoch} (char {entered.CharId}, account {entered.AccountId}; " +
        $"at {entered.State.X},{entered.State.Y}, base level {entered.State.BaseLevel}, zeny {entered.State.Zeny})";

    /// <summary>A warp the map host granted: the character saved on <paramref name="from"/> and sent to <paramref name="to"/> (MOVE).</summary>
    public static JsonObject Warped(RouteInfo from, RouteInfo to, CharacterEntry character) => new()
    {
        ["char_id"] = character.CharId, ["char"] = character.Name,
        ["from_map"] = from.Map, ["from_host_id"] = from.HostId, ["from_endpoint"] = from.Endpoint, ["from_epoch"] = from.Epoch,
        ["to_map"] = to.Map, ["to_host_id"] = to.HostId, ["to_host_kind"] = HostKinds.Name(to.HostKind), ["to_endpoint"] = to.Endpoint,
        ["to_epoch"] = to.Epoch, ["expires_ms"] = to.ExpiresMs,
    };

    public static string DescribeWarp(RouteInfo from, RouteInfo to, CharacterEntry character) =>
        $"warped: {character.Name} ({character.CharId}) saved on {from.Map} (host {from.HostId}) and sent to {to.Map} on host {to.HostId} " +
        $"({HostKinds.Name(to.HostKind)}) at {to.Endpoint}, epoch {to.Epoch}";

    public static JsonObject State(CharacterState state) => new()
    {
        ["x"] = state.X, ["y"] = state.Y, ["base_level"] = state.BaseLevel, ["job_level"] = state.JobLevel, ["base_exp"] = state.BaseExp,
        ["job_exp"] = state.JobExp, ["zeny"] = state.Zeny, ["hp"] = state.Hp, ["sp"] = state.Sp,
    };
}
