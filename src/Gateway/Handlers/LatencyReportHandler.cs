using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>Players' round trips to hosts, passed to the host grains (one-way calls) for placement's latency score; no answer.</summary>
public sealed class LatencyReportHandler() : PacketHandler<LatencyReportPacket>(SessionRole.Player)
{
    protected override ValueTask<bool> HandleAsync(GatewaySession session, LatencyReportPacket report)
    {
        foreach (var host in report.Hosts)
            _ = session.Context.Hosts.Get(host.HostId).ReportLatencyAsync(host.RoundTripMs);
        return ValueTask.FromResult(true);
    }
}
