using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// What others report about a host: players' round trips to it (scored as latency), players who cannot reach it
/// (enough of them within the suspect window and its maps move, whatever its heartbeats say: <see cref="PlayerReports"/>),
/// and writes the database proxy refused from it (counted against its reliability, event 2220, written at most once a
/// second).
/// </summary>
public sealed partial class HostWitnesses(
    HostGrainContext host, EpochLedger maps, PlayerReports players, HostLossDelivery losses, HostEvacuation evacuation,
    ClusterTallies tallies, DistributionOptions options, ILogger logger)
{
    private DateTimeOffset _lastRejectedWriteSaved = DateTimeOffset.MinValue;

    /// <summary>A player's round trip to the live host; a value outside 0–60,000 ms is ignored.</summary>
    public void RoundTrip(int milliseconds)
    {
        if (host.IsLive && milliseconds is >= 0 and <= 60_000) players.RoundTrip(milliseconds);
    }

    /// <summary>
    /// Player <paramref name="accountId"/> cannot reach <paramref name="map"/> under <paramref name="epoch"/> here. True
    /// when the map is (or already was) to move: this host does not serve it under that epoch, or is suspect now.
    /// </summary>
    public async Task<bool> UnreachableAsync(int accountId, string map, long epoch)
    {
        if (accountId < 1) throw new ClusterException(ClusterError.InvalidArgument, $"account id {accountId} must be positive");
        Names.RequireMapName(map);
        if (!host.IsLive || !maps.Holds(map, epoch))
        {
            // This host does not serve the map under that epoch; if the map still thinks it does, it moves now
            // (ignored by the map grain unless this host still holds that epoch there). Not persisted: nothing here
            // forgot the map, and the player can report again.
            if (epoch > 0) losses.Tell([new HostLoss(map, epoch, RevocationReason.Reassigned)]);
            return true;
        }
        if (players.Suspect) return true;
        var now = host.Time.GetUtcNow();
        if (players.Unreachable(accountId, now, options.SuspectWindow, options.SuspectReports) is not { } count) return false;

        // Enough players cannot reach it: whatever the heartbeats say, it is no use to them. Its maps move.
        host.State().CountFailure(now, $"{count} players could not reach it within {options.SuspectWindow.TotalSeconds:0} s");
        await host.Write();
        await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.PlayerReports);
        await host.Publish(true);
        host.ReportStatus();
        return true;
    }

    /// <summary>The database proxy refused a write from the host.</summary>
    public async Task RejectedWriteAsync(ClusterError code, string reason)
    {
        tallies.CountRefusedWrite(host.HostId);
        var now = host.Time.GetUtcNow();
        host.State().CountRejectedWrite(now, $"database write refused ({code}): {reason}");
        LogRejectedWrite(logger, host.HostId, code, reason);
        // A host sending a stream of bad writes must not cost a state write each: the count is persisted at most
        // once a second (and with any other write), and the directory refreshed as often.
        if (now - _lastRejectedWriteSaved < TimeSpan.FromSeconds(1)) return;
        _lastRejectedWriteSaved = now;
        await host.Write();
        if (host.IsLive) await host.Publish(true);
    }

    [LoggerMessage(EventId = 2220, Level = LogLevel.Warning, Message = "SECURITY: host {HostId} attempted a database write the proxy refused ({Code}): {Reason}")]
    private static partial void LogRejectedWrite(ILogger logger, string hostId, ClusterError code, string reason);
}
