using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// The failover flow of one host grain activation, run on <see cref="HostLiveness"/>'s decisions: a dropped connection
/// gets its reconnect grace, then its maps move; the watchdog (a deadline each heartbeat moves on:
/// <see cref="HostLiveness.NextCheck"/>) reports a late host, declares a silent host dead and cuts it off, moves the
/// maps of a host gone past its grace or absent since a silo death, and blames itself, not the host, when it wakes
/// from a freeze of this silo (event 2230). The maps move through <see cref="HostEvacuation"/>.
/// </summary>
public sealed partial class HostFailover(
    HostGrainContext host, HostLiveness liveness, HostLink link, HostEvacuation evacuation, DistributionOptions options, ILogger logger)
{
    private Func<Task>? _tick; // kept: a method group is a new delegate on every use, and every heartbeat re-arms the watchdog
    private bool _adopted; // this activation stored the state since it began (AdoptAsync)

    /// <summary>How soon the watchdog tries again after its action failed: a sixth of the heartbeat timeout, within 50 ms and 1 s.</summary>
    public TimeSpan RetryPeriod => TimeSpan.FromMilliseconds(Math.Clamp(options.HeartbeatTimeout.TotalMilliseconds / 6, 50, 1000));

    /// <summary>
    /// How late the watchdog may fire before it blames a freeze of this silo rather than the host: a third of the
    /// heartbeat timeout, kept within 100 ms and 2 s (what two periods of the former periodic watchdog allowed).
    /// </summary>
    public TimeSpan FreezeTolerance => TimeSpan.FromMilliseconds(Math.Clamp(options.HeartbeatTimeout.TotalMilliseconds / 3, 100, 2000));

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

    /// <summary>
    /// Arms the watchdog for the next deadline from what is known now (or stops it: nothing left to watch); first, if a
    /// deadline passed long ago without its timer firing, blames a freeze of this silo (<see cref="HostLiveness.WokeFromFreeze"/>).
    /// </summary>
    public void Watch()
    {
        var now = host.Time.GetUtcNow();
        if (liveness.WokeFromFreeze(now, FreezeTolerance)) LogWokeFromFreeze(logger, host.HostId);
        Watch(now);
    }

    /// <summary>
    /// The live host's heartbeat at <paramref name="now"/>: its clock restarts and the watchdog's deadline moves on with
    /// it (a timer change, no turn of its own).
    /// </summary>
    public void Heard(DateTimeOffset now)
    {
        liveness.Heartbeat(now);
        if (liveness.Watching) Watch(now);
    }

    /// <summary>
    /// Before a heartbeat is acknowledged by an activation the host never registered with (the silo holding the grain
    /// died or froze; the gateway kept the host's session and sent the heartbeat here): the first such heartbeat stores
    /// the state. That moves the stored ETag on, so an activation left on a frozen silo cannot declare the host dead and
    /// move its maps when it wakes (its write fails) while this one acknowledges the host's heartbeats — which would
    /// let two hosts serve one map at once. A database that fails this write fails the old activation's too: the
    /// heartbeat is acknowledged anyway and the next one tries again. A conflict (the old activation wrote first)
    /// escapes: Orleans deactivates this activation, and the next heartbeat reads what was stored.
    /// </summary>
    public async Task AdoptAsync()
    {
        if (_adopted || liveness.Registered) return;
        try
        {
            await host.Write();
            _adopted = true;
        }
        catch (Exception e) when (ClusterException.Find(e) is { Code: ClusterError.StoreUnavailable })
        {
            LogAdoptionUnwritten(logger, host.HostId);
        }
    }

    private void Watch(DateTimeOffset now)
    {
        if (liveness.NextCheck(now, host.IsLive, host.HoldsMaps, options.HeartbeatTimeout, options.ReconnectGrace) is not { } at)
        {
            liveness.StopWatchdog();
            return;
        }
        // A deadline already past is one whose action did not complete (its write failed: the state went back): it is
        // retried at the pace of a retry, not at once.
        if (at <= now) at = now + RetryPeriod;
        liveness.ArmWatchdog(_tick ??= WatchAsync, at, now);
    }

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

    /// <summary>
    /// The watchdog's tick: lateness, silence, or a reconnect grace that ran out. It re-arms itself last, from the
    /// time its work ended, as the timer counts.
    /// </summary>
    private async Task WatchAsync()
    {
        try
        {
            var now = host.Time.GetUtcNow();
            switch (liveness.Check(now, host.IsLive, host.HoldsMaps, FreezeTolerance, options.HeartbeatTimeout, options.ReconnectGrace))
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
        }
        finally
        {
            // Always, a failed write included: the deadline it acted on is then still past, and the next tick retries.
            Watch();
        }
    }

    /// <summary>The reconnect grace of the disconnect at <paramref name="since"/> ran out (<see cref="HostLiveness.Disconnected"/>).</summary>
    private async Task OnGraceExpiredAsync(DateTimeOffset? since)
    {
        var now = host.Time.GetUtcNow();
        switch (liveness.GraceExpired(since, now, FreezeTolerance))
        {
            case LivenessVerdict.WokeFromFreeze:
                LogWokeFromFreeze(logger, host.HostId);
                Watch(now);
                return;
            case LivenessVerdict.Gone:
                await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
                host.ReportStatus();
                return;
        }
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

    [LoggerMessage(EventId = 2232, Level = LogLevel.Warning,
        Message = "Host {HostId}: its heartbeat reached this new activation, which could not store the host's state (the database failed); acknowledged anyway, the next heartbeat tries again")]
    private static partial void LogAdoptionUnwritten(ILogger logger, string hostId);

    [LoggerMessage(EventId = 2230, Level = LogLevel.Warning,
        Message = "Host {HostId}'s watchdog woke after a freeze of this silo; the host gets a fresh heartbeat timeout instead of the blame")]
    private static partial void LogWokeFromFreeze(ILogger logger, string hostId);
}
