using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The failover flow of a host grain (<see cref="HostFailover"/>, moving maps with <see cref="HostEvacuation"/>) on a
/// hand-moved clock with hand-ticked timers: a dropped connection's grace, a silent host, a frozen silo, a clean leave.
/// </summary>
public sealed class HostFailoverTests : IDisposable
{
    private readonly HostPartsRig _rig = new(new DistributionOptions { HeartbeatTimeoutMs = 3000, ReconnectGraceMs = 500, FailoverGraceMs = 15_000 });

    public void Dispose() => _rig.Dispose();

    private TimeSpan Period => _rig.Failover.WatchdogPeriod;

    /// <summary>Moves the clock on by <paramref name="span"/> one watchdog period at a time, ticking the watchdog each time.</summary>
    private async Task WatchForAsync(RigTimer watchdog, TimeSpan span)
    {
        for (var passed = TimeSpan.Zero; passed < span; passed += Period)
        {
            _rig.Time.Advance(Period);
            await watchdog.TickAsync();
        }
    }

    [Fact]
    public async Task ADroppedConnectionMovesTheMapsOnlyWhenItsGraceRunsOut()
    {
        _rig.Online("prontera", "geffen");
        _rig.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await _rig.Failover.DisconnectedAsync(failure: true, "connection reset"));

        Assert.Equal(HostStatus.Offline, _rig.State.Status);
        Assert.Equal(1, _rig.State.Reliability.Failures);
        Assert.Equal(1, _rig.Writes);
        Assert.Equal(2, _rig.Maps.Count); // not yet: it may come back
        var grace = Assert.Single(_rig.Timers);
        Assert.Equal(TimeSpan.FromSeconds(2), grace.Due); // its lease (3 s from the last heartbeat) outlasts the 500 ms grace

        _rig.Time.Advance(grace.Due);
        await grace.TickAsync();

        Assert.Equal(0, _rig.Maps.Count);
        Assert.Equal(["geffen", "prontera"], _rig.Told.Select(l => l.Map).Order());
        Assert.Equal(2, _rig.Failovers()["dead"]);
        Assert.True(_rig.Liveness.Dead);
        Assert.Equal(1, _rig.StatusReports);
    }

    [Fact]
    public async Task AHostThatReconnectsWithinItsGraceKeepsItsMaps()
    {
        _rig.Online("prontera");
        await _rig.Failover.DisconnectedAsync(failure: true, "connection reset");
        var grace = Assert.Single(_rig.Timers);

        _rig.Time.Advance(TimeSpan.FromMilliseconds(200));
        _rig.Liveness.Connecting(_rig.Time.GetUtcNow());
        await grace.TickAsync();

        Assert.True(grace.Disposed);
        Assert.Equal(1, _rig.Maps.Count);
        Assert.Empty(_rig.Told);
        Assert.False(_rig.Liveness.Dead);
    }

    [Fact]
    public async Task ASilentHostIsDeclaredDeadCutOffAndItsMapsMove()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);
        Assert.Equal(TimeSpan.FromMilliseconds(500), watchdog.Period); // a sixth of the 3 s timeout

        await WatchForAsync(watchdog, TimeSpan.FromSeconds(3) - Period);
        Assert.Equal(1, _rig.Maps.Count); // 2.5 s of silence: still within the timeout
        Assert.Empty(_rig.Connection.Closed);

        await WatchForAsync(watchdog, Period);

        Assert.Equal([ClusterError.HostDeclaredDead], _rig.Connection.Closed);
        Assert.Equal(HostStatus.Offline, _rig.State.Status);
        Assert.StartsWith("no heartbeat for 3000 ms", _rig.State.Reliability.LastFailureReason);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], _rig.Told);
        Assert.Equal(1, _rig.Failovers()["silent"]);
        Assert.True(_rig.Liveness.Dead);
        Assert.True(watchdog.Disposed); // nothing left to watch
    }

    [Fact]
    public async Task AWatchdogThatWokeFromAFreezeOfItsSiloBlamesItselfNotTheHost()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);
        await WatchForAsync(watchdog, Period);

        _rig.Time.Advance(TimeSpan.FromSeconds(30)); // SIGSTOP: nobody heard anything, least of all this silo
        await watchdog.TickAsync();

        Assert.Equal(1, _rig.Logger.Count(2230));
        Assert.Equal(1, _rig.Maps.Count);
        Assert.Empty(_rig.Connection.Closed);
        await WatchForAsync(watchdog, TimeSpan.FromSeconds(3) - Period);
        Assert.Equal(1, _rig.Maps.Count); // a fresh timeout from the wake-up
    }

    [Fact]
    public async Task AHostThatLeftCleanlyLosesItsMapsAtOnce()
    {
        _rig.Online("prontera");

        Assert.False(await _rig.Failover.DisconnectedAsync(failure: false, reason: null));

        Assert.Equal(0, _rig.State.Reliability.Failures);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], _rig.Told);
        Assert.Equal(1, _rig.Failovers()["dead"]);
        Assert.False(_rig.Liveness.Dead);
    }

    [Fact]
    public async Task AnActivationWithMapsButNoHostMovesThemAfterTheFailoverGrace()
    {
        _rig.Maps.Add("prontera", 4, 100); // a silo died with the host grain; nobody has reconnected since
        _rig.Failover.Activated(_rig.Time.GetUtcNow());
        var watchdog = Assert.Single(_rig.Timers);
        Assert.False(_rig.Failover.Retired);

        await WatchForAsync(watchdog, TimeSpan.FromSeconds(15) - Period);
        Assert.Equal(1, _rig.Maps.Count);
        await WatchForAsync(watchdog, Period);

        Assert.Equal([new HostLoss("prontera", 4, RevocationReason.Reassigned)], _rig.Told);
        Assert.True(_rig.Liveness.Dead);
        Assert.Equal(1, _rig.Reminders); // the losses are recorded with the reminder that wakes a grain whose silo died
    }

    [Fact]
    public void AnActivationOfAHostThatHeldNothingOwesNoGraceAndWatchesNothing()
    {
        _rig.Failover.Activated(_rig.Time.GetUtcNow());
        Assert.Empty(_rig.Timers);
        Assert.True(_rig.Failover.Retired);
    }

    [Fact]
    public async Task TheReminderRetiresOnlyOnceEveryLossIsTold()
    {
        _rig.Online("prontera");
        Assert.False(_rig.Failover.Retired); // live
        await _rig.Failover.DisconnectedAsync(failure: false, reason: null);
        Assert.False(_rig.Failover.Retired); // a loss recorded, not confirmed yet
        _rig.State.Losses.Clear();
        Assert.True(_rig.Failover.Retired);
    }

    [Fact]
    public async Task AFailedWriteMovesNoMapAndTellsNoMapGrain()
    {
        _rig.Online("prontera");
        _rig.FailWrites = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.Evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Operator));

        Assert.Equal(1, _rig.Maps.Count);
        Assert.Empty(_rig.State.Losses);
        Assert.Empty(_rig.Told);
        Assert.Empty(_rig.Connection.Revoked);
        Assert.Empty(_rig.Failovers());
    }

    [Fact]
    public async Task AnOverloadedHostShedsItsNewestMapAsARebalance()
    {
        _rig.Online("prontera", "geffen");

        await _rig.Evacuation.ShedAsync();

        Assert.Equal([new MapRevocation("geffen", 2, RevocationReason.Rebalanced)], _rig.Connection.Revoked);
        Assert.Equal([new HostLoss("geffen", 2, RevocationReason.Rebalanced)], _rig.Told);
        Assert.True(_rig.Maps.Holds("prontera", 1));
        Assert.Equal(1, _rig.Failovers()["overload"]);
    }

    [Fact]
    public async Task AMapPlacedOnAHostSinceGoneIsHandedBack()
    {
        _rig.Maps.Add("prontera", 9, 100);

        await _rig.Evacuation.HandBackAsync("prontera", 9);

        Assert.Equal(0, _rig.Maps.Count);
        Assert.Equal([new HostLoss("prontera", 9, RevocationReason.Reassigned)], _rig.Told);
        Assert.Equal(1, _rig.Failovers()["dead"]);
    }
}
