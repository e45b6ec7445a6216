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
}
