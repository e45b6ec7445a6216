using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>HEARTBEAT → HEARTBEAT_ACK, then the REVOKE_MAP and ASSIGN_MAP the host grain answers with.</summary>
public sealed class HeartbeatHandler : HostReportHandler<HeartbeatPacket>
{
    public override async ValueTask<bool> HandleAsync(GatewaySession session, Frame frame)
    {
        long started = GatewayMetrics.Now();
        bool keep = await base.HandleAsync(session, frame);
        session.Context.Metrics.HeartbeatHandled(started);
        return keep;
    }

    protected override async ValueTask ReportAsync(GatewaySession session, IHostGrain host, HeartbeatPacket heartbeat)
    {
        var reply = await host.HeartbeatAsync(HostPackets.Heartbeat(heartbeat));
        await session.SendAsync(new HeartbeatAckPacket(heartbeat.Sequence, session.Context.Time.GetUtcNow().ToUnixTimeMilliseconds()));
        foreach (var revocation in reply.Revoke) await session.SendAsync(HostPackets.Revoke(revocation));
        foreach (var order in reply.Assign) await session.SendAsync(HostPackets.Assign(order));
    }
}
