using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>RESOLVE → ROUTE (a signed ticket onto the host that runs the map now) or REFUSED.</summary>
public sealed class ResolveHandler() : GrainPacketHandler<ResolvePacket>(SessionRole.Player)
{
    public override async ValueTask<bool> HandleAsync(GatewaySession session, Frame frame)
    {
        long started = GatewayMetrics.Now();
        bool keep = await base.HandleAsync(session, frame);
        session.Context.Metrics.ResolveHandled(started);
        return keep;
    }

    protected override async ValueTask<bool> CallAsync(GatewaySession session, ResolvePacket resolve)
    {
        var player = session.Player!;
        var grant = await player.Character(resolve.CharId).RequestTicketAsync(player.AccountId, resolve.Map);
        await session.SendAsync(PlayerState.Route(resolve.RequestId, resolve.CharId, session.Tickets.Sign(grant)));
        return true;
    }

    protected override async ValueTask<bool> FailedAsync(GatewaySession session, ResolvePacket resolve, GrainFailure failure)
    {
        await session.SendAsync(new RefusedPacket(resolve.RequestId, failure.Code, failure.Message));
        return true;
    }
}
