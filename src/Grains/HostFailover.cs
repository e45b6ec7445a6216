using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// The failover flow of one host grain activation, run on <see cref="HostLiveness"/>'s decisions: a dropped connection
/// gets its reconnect grace, then its maps move; the watchdog (a few ticks per heartbeat timeout) declares a silent host
/// dead and cuts it off, moves the maps of a host gone past its grace or absent since a silo death, and blames itself,
/// not the host, when it wakes from a freeze of this silo (event 2230). The maps move through <see cref="HostEvacuation"/>.
/// </summary>
public sealed partial class HostFailover(
    HostGrainContext host, HostLiveness liveness, HostLink link, HostEvacuation evacuation, DistributionOptions options, ILogger logger)
{
    /// <summary>The watchdog's period: a sixth of the heartbeat timeout, kept within 50 ms and 1 s.</summary>
    public TimeSpan WatchdogPeriod => TimeSpan.FromMilliseconds(Math.Clamp(options.HeartbeatTimeout.TotalMilliseconds / 6, 50, 1000));

    /// <summary>Whether the liveness reminder has nothing left to wake: not live, no maps, no losses left to tell.</summary>
    public bool Retired => !host.IsLive && !host.HoldsMaps && host.State().Losses.Count == 0;

    /// <summary>
    /// The activation begins at <paramref name="now"/>: a host that was live or held maps is owed the failover grace (its
    /// agent may still be waiting out a frozen silo's silence) and is watched.
    /// </summary>
    public void Activated(DateTimeOffset now)
    {
        bool owesGrace = host.IsLive || host.HoldsMaps;
        liveness.Activated(now, owesGrace, options.FailoverGrace);
        if (owesGrace) Watch();
    }

    /// <summary>Starts the watchdog unless it runs.</summary>
    public void Watch() => liveness.StartWatchdog(WatchAsync, WatchdogPeriod);

    /// <summary>
    /// The live host's connection ended. A <paramref name="failure"/> (a dropped connection) may come back: its maps
    /// move only if it does not within the grace, and true tells the caller to take it out of placement meanwhile. A
    /// host that left cleanly is gone for its maps: they move now.
    /// </summary>
    public async Task<bool> DisconnectedAsync(bool failure, string? reason)
    {
        var now = host.Time.GetUtcNow();
        var s = host.State();
        s.CloseSession(now, failure, reason);
        if (s.Status != HostStatus.Banned) s.Status = HostStatus.Offline;
        if (failure)
        {
            liveness.Disconnected(now, options.HeartbeatTimeout, options.ReconnectGrace, OnGraceExpiredAsync);
            await host.Write();
            return true;
        }
        await host.Write();
        liveness.Dead = false;
        await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
        return false;
    }

    /// <summary>The watchdog's tick: silence, or a reconnect grace that ran out.</summary>
    private async Task WatchAsync()
    {
        var now = host.Time.GetUtcNow();
        switch (liveness.Check(now, host.IsLive, host.HoldsMaps, WatchdogPeriod, options.HeartbeatTimeout, options.ReconnectGrace))
        {
            case LivenessVerdict.WokeFromFreeze:
                LogWokeFromFreeze(logger, host.HostId);
                return;
            case LivenessVerdict.Gone:
                await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
                break;
            case LivenessVerdict.Silent:
                await DeclareDeadAsync($"no heartbeat for {(now - liveness.LastHeartbeat).TotalMilliseconds:F0} ms");
                break;
        }
        host.ReportStatus();
        if (liveness.Idle(host.IsLive, host.HoldsMaps)) liveness.StopWatchdog();
    }

    /// <summary>The reconnect grace of the disconnect at <paramref name="since"/> ran out (<see cref="HostLiveness.Disconnected"/>).</summary>
    private async Task OnGraceExpiredAsync(DateTimeOffset? since)
    {
        if (!liveness.GraceExpired(since)) return; // reconnected, or already evacuated
        await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
        host.ReportStatus();
    }

    private async Task DeclareDeadAsync(string reason)
    {
        var s = host.State();
        s.CloseSession(host.Time.GetUtcNow(), failure: true, reason);
        s.Status = HostStatus.Offline;
        await host.Write();
        // A frozen host that wakes up must learn it is deposed: cut it off; it reconnects and is revoked.
        link.Close(ClusterError.HostDeclaredDead, $"host {host.HostId} declared dead: {reason}");
        liveness.Dead = true;
        await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Silent);
    }

    [LoggerMessage(EventId = 2230, Level = LogLevel.Warning,
        Message = "Host {HostId}'s watchdog woke after a freeze of this silo; the host gets a fresh heartbeat timeout instead of the blame")]
    private static partial void LogWokeFromFreeze(ILogger logger, string hostId);
}
