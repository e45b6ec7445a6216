using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Claims a ticket this host has verified offline with the coordinator, which makes "once" hold across the cluster
/// and records the character on the map. The agent's coordinator session implements it; tests fake it.
/// </summary>
public interface ITicketClaimer
{
    /// <summary>
    /// The coordinator's answer: <see cref="ProtocolError.None"/> with the ticket's account, or the code it refused
    /// with. <see cref="ProtocolError.Unavailable"/> when there is no coordinator session, the session ends first, or
    /// no answer comes in time; a missing coordinator never throws. Throws only when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task<TicketClaim> ClaimAsync(Ticket ticket, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a player of this host from <paramref name="fromMap"/> (run under <paramref name="epoch"/>) to
    /// <paramref name="toMap"/>, saving <paramref name="state"/> first (MOVE_PLAYER). Unavailable as for claims.
    /// </summary>
    Task<MoveOutcome> MoveAsync(uint charId, string fromMap, ulong epoch, string toMap, CharacterState state, CancellationToken cancellationToken);

    /// <summary>Tells the coordinator a player left without moving on (PLAYER_LEFT); best effort, never throws.</summary>
    Task PlayerLeftAsync(uint charId, string map, ulong epoch);
}
