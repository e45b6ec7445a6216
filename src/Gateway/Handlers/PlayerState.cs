using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// A game client's side of its session (docs/protocol.md, "Players"): the account it logged in to, its failed logins,
/// and the character grains it resolves again and again (kept by its session: <see cref="GatewaySession.Characters"/>).
/// </summary>
public sealed class PlayerState(GatewaySession session)
{
    /// <summary>Character references a player's connection keeps: an account's character slots (rAthena has at most 15).</summary>
    public const int MaxCharactersKept = 16;

    /// <summary>The account logged in to; 0 before LOGIN_OK.</summary>
    public int AccountId { get; set; }

    /// <summary>Refused logins on this connection (<c>accounts.max_login_failures</c> closes it).</summary>
    public int LoginFailures { get; set; }

    /// <summary>The session grain of <paramref name="charId"/> (a valid char id: the codec checked it).</summary>
    public IPlayerSessionGrain Character(uint charId) => session.Characters.Get(charId);

    /// <summary>The ROUTE answering <paramref name="requestId"/> for <paramref name="charId"/>.</summary>
    public static RoutePacket Route(uint requestId, uint charId, RouteInfo route) =>
        new(requestId, charId, route.Map, route.HostKind, route.HostId, route.Endpoint, route.Epoch, route.ExpiresMs, route.Ticket);
}
