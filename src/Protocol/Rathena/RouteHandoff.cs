using System.Net;

namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// A route from the coordinator (ROUTE, MOVE_RESULT) as rAthena's own handoff packets, for a stock or WARP-patched
/// client: a map server changing the player's map sends <see cref="ServerMove"/> (0x0092/0x0AC7), a char server
/// sending a chosen character into the game sends <see cref="NotifyZoneServer"/> (0x0071/0x0AC5). The packets carry
/// an IPv4 address and a port only, so a route whose endpoint is a hostname or IPv6 cannot be handed this way.
/// </summary>
public static class RouteHandoff
{
    /// <summary>0x0092 (or 0x0AC7): "continue on <paramref name="route"/>'s map at x, y, on its host".</summary>
    public static ServerMovePacket ServerMove(RouteInfo route, ushort x, ushort y, HandoffVariant variant) =>
        new(variant, route.Map, x, y, Address(route));

    /// <summary>0x0071 (or 0x0AC5): "character <paramref name="charId"/> plays on <paramref name="route"/>'s host".</summary>
    public static NotifyZoneServerPacket NotifyZoneServer(RouteInfo route, uint charId, HandoffVariant variant) =>
        new(variant, charId, route.Map, Address(route));

    private static ZoneServerAddress Address(RouteInfo route)
    {
        int colon = route.Endpoint.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(route.Endpoint.AsSpan(colon + 1), out ushort port)
            || !IPAddress.TryParse(route.Endpoint.AsSpan(0, colon), out var address))
            throw new ArgumentException($"route endpoint '{route.Endpoint}' is not an IPv4 address and port, which rAthena's handoff packets need", nameof(route));
        return new ZoneServerAddress(address, port);
    }
}
