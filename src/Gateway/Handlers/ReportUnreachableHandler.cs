using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// REPORT_UNREACHABLE → ROUTE or REFUSED in one round trip. The check and the wait for the map to land elsewhere are
/// the character's session grain's (<see cref="IPlayerSessionGrain.ReportUnreachableAsync"/>); this signs its answer.
/// </summary>
public sealed class ReportUnreachableHandler() : GrainPacketHandler<ReportUnreachablePacket>(SessionRole.Player)
{
    protected override async ValueTask<bool> CallAsync(GatewaySession session, ReportUnreachablePacket report)
    {
        var grant = await session.Player!.Character(report.CharId)
            .ReportUnreachableAsync(session.Player!.AccountId, report.Map, report.HostId, (long)report.Epoch);
        await session.SendAsync(PlayerState.Route(report.RequestId, report.CharId, session.Tickets.Sign(grant)));
        session.Context.Metrics.Fallback();
        return true;
    }

    protected override async ValueTask<bool> FailedAsync(GatewaySession session, ReportUnreachablePacket report, GrainFailure failure)
    {
        await session.SendAsync(new RefusedPacket(report.RequestId, failure.Code, failure.Message));
        return true;
    }
}
