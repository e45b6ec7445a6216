using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>MAP_STATE: a map instance's state, passed to the host grain; REVOKE_MAP when the host reported a stale epoch.</summary>
public sealed class MapStateHandler : HostReportHandler<MapStatePacket>
{
    protected override async ValueTask ReportAsync(GatewaySession session, IHostGrain host, MapStatePacket mapState)
    {
        var stale = await host.MapStateAsync(mapState.Map, (long)Math.Min(mapState.Epoch, long.MaxValue), (MapInstanceState)mapState.State, mapState.Port);
        if (stale is not null) await session.SendAsync(HostPackets.Revoke(stale));
    }
}
