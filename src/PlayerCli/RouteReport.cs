using System.Globalization;
using System.Text.Json.Nodes;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>How a ROUTE and an ENTERED are shown, shared by the subcommands that resolve and enter.</summary>
public static class RouteReport
{
    public static string HostKind(byte kind) => kind switch { 0 => "p2p", 1 => "vps", _ => $"kind {kind}" };

    public static JsonObject Route(RoutePacket route, CharacterEntry character) => new()
    {
        ["char_id"] = route.CharId, ["char"] = character.Name, ["map"] = route.Map, ["host_id"] = route.HostId,
        ["host_kind"] = HostKind(route.HostKind), ["endpoint"] = route.Endpoint, ["epoch"] = route.Epoch, ["expires_ms"] = route.ExpiresMs,
    };

    public static string DescribeRoute(RoutePacket route, CharacterEntry character) =>
        $"route: {character.Name} ({route.CharId}) → {route.Map} on host {route.HostId} ({HostKind(route.HostKind)}) at {route.Endpoint}, epoch {route.Epoch}; " +
        $"ticket valid until {DateTimeOffset.FromUnixTimeMilliseconds(route.ExpiresMs).ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    public static JsonObject Entered(EnteredPacket entered, RoutePacket route) => new()
    {
        ["account_id"] = entered.AccountId, ["char_id"] = entered.CharId, ["map"] = entered.Map, ["epoch"] = entered.Epoch,
        ["host_id"] = route.HostId, ["host_kind"] = HostKind(route.HostKind), ["endpoint"] = route.Endpoint,
    };

    public static string DescribeEntered(EnteredPacket entered, RoutePacket route) =>
        $"entered {entered.Map} on host {route.HostId} at {route.Endpoint}, epoch {entered.Epoch} (char {entered.CharId}, account {entered.AccountId})";
}
