using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// A game client's side of its session (docs/protocol.md, "Players"): the account it logged in to, its failed logins,
/// and the character grain it resolves again and again.
/// </summary>
public sealed class PlayerState(GatewayContext context)
{
    // A player resolves the same character again and again; GetGrain costs about as much as the call (docs/benchmarks.md).
    private (uint CharId, IPlayerSessionGrain Grain) _character;

    /// <summary>The account logged in to; 0 before LOGIN_OK.</summary>
    public int AccountId { get; set; }

    /// <summary>Refused logins on this connection (<c>accounts.max_login_failures</c> closes it).</summary>
    public int LoginFailures { get; set; }

    /// <summary>The session grain of <paramref name="charId"/> (a valid char id: the codec checked it).</summary>
    public IPlayerSessionGrain Character(uint charId)
    {
        if (_character.CharId != charId) _character = (charId, context.Grains.GetGrain<IPlayerSessionGrain>((long)charId));
        return _character.Grain;
    }

    /// <summary>The ROUTE answering <paramref name="requestId"/> for <paramref name="charId"/>.</summary>
    public static RoutePacket Route(uint requestId, uint charId, RouteInfo route) =>
        new(requestId, charId, route.Map, route.HostKind, route.HostId, route.Endpoint, route.Epoch, route.ExpiresMs, route.Ticket);
}
