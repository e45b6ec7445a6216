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

    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Lets <paramref name="span"/> pass on the clock as a silo would: the watchdog fires at each deadline it is armed
    /// for within it, and the host heartbeats every <paramref name="heartbeatEvery"/> if given.
    /// </summary>
    private async Task PassAsync(RigTimer watchdog, TimeSpan span, TimeSpan? heartbeatEvery = null)
    {
        var end = _rig.Time.GetUtcNow() + span;
        var nextBeat = heartbeatEvery is { } every ? _rig.Time.GetUtcNow() + every : DateTimeOffset.MaxValue;
        for (int step = 0; step < 100_000; step++)
        {
            var fire = watchdog.Disposed ? null : watchdog.DueAt;
            var next = fire is { } at && at < nextBeat ? at : nextBeat;
            if (next > end) break;
            _rig.Time.SetUtcNow(next);
            if (next == nextBeat)
            {
                _rig.Failover.Heard(next);
                nextBeat += heartbeatEvery!.Value;
            }
            else await watchdog.TickAsync();
        }
        if (end > _rig.Time.GetUtcNow()) _rig.Time.SetUtcNow(end);
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
    public async Task ASilentHostIsReportedLateAtHalfItsTimeoutThenDeclaredDeadCutOffAndItsMapsMove()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);
        Assert.Equal(Timeout.InfiniteTimeSpan, watchdog.Period); // a deadline, not a period
        Assert.Equal(HostPartsRig.T0 + TimeSpan.FromMilliseconds(1501), watchdog.DueAt); // just past half the 3 s timeout: late

        await PassAsync(watchdog, TimeSpan.FromSeconds(3) - Ms);
        Assert.Equal(1, watchdog.Ticks); // once, to report the host late
        Assert.Equal(1, _rig.StatusReports);
        Assert.Equal(1, _rig.Maps.Count); // still within the timeout
        Assert.Empty(_rig.Connection.Closed);
        Assert.Equal(HostPartsRig.T0 + TimeSpan.FromSeconds(3), watchdog.DueAt);

        await PassAsync(watchdog, Ms);

        Assert.Equal([ClusterError.HostDeclaredDead], _rig.Connection.Closed);
        Assert.Equal(HostStatus.Offline, _rig.State.Status);
        Assert.StartsWith("no heartbeat for 3000 ms", _rig.State.Reliability.LastFailureReason);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], _rig.Told);
        Assert.Equal(1, _rig.Failovers()["silent"]);
        Assert.True(_rig.Liveness.Dead);
        Assert.True(watchdog.Disposed); // nothing left to watch
    }

    [Fact]
    public async Task AHostHeardFromEverySecondNeverWakesItsWatchdog()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);

        await PassAsync(watchdog, TimeSpan.FromMinutes(1), heartbeatEvery: TimeSpan.FromSeconds(1));

        Assert.Equal(0, watchdog.Ticks); // each heartbeat moved the deadline on; a periodic watchdog ticked 120 times here
        Assert.Equal(_rig.Time.GetUtcNow() + TimeSpan.FromMilliseconds(1501), watchdog.DueAt); // from the last heartbeat, just now
        Assert.Equal(1, _rig.Maps.Count);
        Assert.Empty(_rig.Connection.Closed);

        await PassAsync(watchdog, TimeSpan.FromSeconds(3)); // then it falls silent

        Assert.Equal([ClusterError.HostDeclaredDead], _rig.Connection.Closed);
        Assert.Equal(2, watchdog.Ticks); // late, then dead
    }

    [Fact]
    public async Task ADeclarationWhoseWriteFailedIsTriedAgainAtTheRetryPaceUntilItIsStored()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);
        await PassAsync(watchdog, TimeSpan.FromSeconds(3) - Ms);

        _rig.FailWrites = true; // the database is down when the host falls silent
        _rig.Time.SetUtcNow(HostPartsRig.T0 + TimeSpan.FromSeconds(3));
        await Assert.ThrowsAsync<InvalidOperationException>(watchdog.TickAsync);

        Assert.Equal(_rig.Time.GetUtcNow() + _rig.Failover.RetryPeriod, watchdog.DueAt); // armed again: a one-shot deadline is not lost with the write
        Assert.Empty(_rig.Connection.Closed);
        Assert.Equal(1, _rig.Maps.Count);

        _rig.FailWrites = false;
        await PassAsync(watchdog, _rig.Failover.RetryPeriod);

        Assert.Equal([ClusterError.HostDeclaredDead], _rig.Connection.Closed);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], _rig.Told);
        Assert.True(watchdog.Disposed);
    }

    [Fact]
    public async Task AWatchdogThatWokeFromAFreezeOfItsSiloBlamesItselfNotTheHost()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);

        _rig.Time.Advance(TimeSpan.FromSeconds(30)); // SIGSTOP: nobody heard anything, least of all this silo
        await watchdog.TickAsync(); // due at 1.5 s, fired at 30 s

        Assert.Equal(1, _rig.Logger.Count(2230));
        Assert.Equal(1, _rig.Maps.Count);
        Assert.Empty(_rig.Connection.Closed);
        await PassAsync(watchdog, TimeSpan.FromSeconds(3) - Ms);
        Assert.Equal(1, _rig.Maps.Count); // a fresh timeout from the wake-up
        Assert.Equal(1, _rig.Logger.Count(2230)); // the deadlines since were kept
        await PassAsync(watchdog, Ms);
        Assert.Equal([ClusterError.HostDeclaredDead], _rig.Connection.Closed);
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
        Assert.Equal(HostPartsRig.T0 + TimeSpan.FromSeconds(15), watchdog.DueAt); // the grace's end, nothing sooner

        await PassAsync(watchdog, TimeSpan.FromSeconds(15) - Ms);
        Assert.Equal(1, _rig.Maps.Count);
        await PassAsync(watchdog, Ms);

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
