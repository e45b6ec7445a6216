using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// A host agent's report to its host grain (HOST_CAPACITY, HEARTBEAT, MAP_STATE). The grain refusing it is ERROR and a
/// close; the cluster failing — its database, or the grain's silo — is not the host's fault: the packet goes
/// unanswered and the session stays, since the next heartbeat carries the same facts again.
/// </summary>
public abstract partial class HostReportHandler<TPacket>() : GrainPacketHandler<TPacket>(SessionRole.HostAgent) where TPacket : IPacket<TPacket>
{
    protected sealed override async ValueTask<bool> CallAsync(GatewaySession session, TPacket packet)
    {
        await ReportAsync(session, session.Host.Grain!, packet);
        return true;
    }

    /// <summary>Passes the report to the host grain and sends its answers.</summary>
    protected abstract ValueTask ReportAsync(GatewaySession session, IHostGrain host, TPacket packet);

    protected sealed override async ValueTask<bool> FailedAsync(GatewaySession session, TPacket packet, GrainFailure failure)
    {
        var logger = session.Context.Logger;
        if (ClusterException.Find(failure.Exception) is { Code: ClusterError.StoreUnavailable } unavailable)
        {
            HostReportLog.StoreUnavailable(logger, session.ConnectionId, session.HostId!, TPacket.Id, unavailable.Message);
            return true;
        }
        if (failure.Cluster is not null) return await session.FailAsync(failure.Code, failure.Message);
        // The host grain's silo died or froze and the cluster is re-forming. A heartbeat is simply not acknowledged
        // (its lease is not renewed: docs/placement.md); the next one reaches the grain's new activation, and the
        // heartbeat re-sends what MAP_STATE missed.
        HostReportLog.ClusterUnavailable(logger, session.ConnectionId, session.HostId!, TPacket.Id, failure.Exception.GetType().Name);
        return true;
    }
}
