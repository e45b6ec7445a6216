using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>The coordinator's answer to a claim: <see cref="ProtocolError.None"/>, the player's account and its saved state, or why not.</summary>
public readonly record struct TicketClaim(ProtocolError Code, uint AccountId, CharacterState State = default)
{
    /// <summary>No coordinator session, or no answer in time: the player may try again.</summary>
    public static TicketClaim Unavailable => new(ProtocolError.Unavailable, 0);

    public bool Admitted => Code == ProtocolError.None;
}

/// <summary>The coordinator's answer to a move: <see cref="ProtocolError.None"/> and where the player goes, or why not (it stays).</summary>
public readonly record struct MoveOutcome(ProtocolError Code, RouteInfo? Route)
{
    public static MoveOutcome Unavailable => new(ProtocolError.Unavailable, null);

    public bool Moved => Code == ProtocolError.None && Route.HasValue;
}
