using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>Signs one connection's tickets (docs/protocol.md §8a) with the gateway's active coordinator key.</summary>
public sealed class TicketSigner(GatewayContext context)
{
    private (TicketGrant Grant, RouteInfo Route)? _last; // the ticket last signed on this connection

    /// <summary>
    /// The grant as a route with a ticket signed by the coordinator key (only gateways hold it). A grant of the ticket
    /// this connection was last given (a repeated RESOLVE gets the outstanding ticket again) reuses its signature.
    /// </summary>
    public RouteInfo Sign(TicketGrant grant)
    {
        // The plain comparison first: in a silo the grant is passed by reference (Immutable), so a repeat carries the very
        // same nonce array and needs no copy; from a remote silo the nonce arrives as a new array, compared by content.
        if (_last is { } last && (last.Grant == grant
            || (last.Grant.Nonce.AsSpan().SequenceEqual(grant.Nonce) && last.Grant == grant with { Nonce = last.Grant.Nonce })))
            return last.Route;
        var key = context.CoordinatorKey;
        var ticket = new Ticket(key.KeyId, (uint)grant.AccountId, (uint)grant.CharId, grant.Map, grant.HostId, (ulong)grant.Epoch,
            grant.IssuedAt.ToUnixTimeMilliseconds(), grant.ExpiresAt.ToUnixTimeMilliseconds(), grant.Nonce);
        context.Metrics.TicketIssued();
        var route = new RouteInfo(grant.Map, (byte)grant.HostKind, grant.HostId, grant.Endpoint, (ulong)grant.Epoch, ticket.ExpiresMs, ticket.Sign(key));
        _last = (grant, route);
        return route;
    }
}
