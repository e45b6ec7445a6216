using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>HOST_CAPACITY: the host's limits, for placement; no answer.</summary>
public sealed class HostCapacityHandler : HostReportHandler<HostCapacityPacket>
{
    protected override async ValueTask ReportAsync(GatewaySession session, IHostGrain host, HostCapacityPacket capacity) =>
        await host.ReportCapacityAsync(HostPackets.Capacity(capacity));
}
