using Orleans.Storage;
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

    /// <summary>
    /// Seen in the chaos suite (FrozenSiloIsEvictedAndEveryPlayerPlaysAgain, "map payon served by p2p-ns and vps at once
    /// for 333 ms"): after a 10 s SIGSTOP the silo's overdue liveness reminder ran before its overdue watchdog tick and
    /// re-armed the watchdog, which erased the evidence of the freeze; the tick then looked on time and this activation
    /// (a zombie: the cluster had already re-activated the grain on the other silo, which kept acknowledging the host's
    /// heartbeats) declared the host dead and moved its map while the host still held a lease.
    /// </summary>
    [Fact]
    public async Task AReminderThatRunsBeforeTheWatchdogAfterAFreezeOfItsSiloStillBlamesTheFreeze()
    {
        _rig.Online("prontera");
        _rig.Failover.Watch();
        var watchdog = Assert.Single(_rig.Timers);

        _rig.Time.Advance(TimeSpan.FromSeconds(10)); // SIGSTOP; the reminder's tick and the watchdog's are both overdue
        _rig.Failover.Watch(); // the reminder's turn comes first
        await watchdog.TickAsync(); // then the watchdog's tick, queued before the reminder moved it

        Assert.Equal(1, _rig.Logger.Count(2230));
        Assert.Empty(_rig.Connection.Closed);
        Assert.Equal(1, _rig.Maps.Count);
        await PassAsync(watchdog, TimeSpan.FromSeconds(3) - Ms);
        Assert.Equal(1, _rig.Maps.Count); // a fresh timeout from the wake-up
        await PassAsync(watchdog, Ms);
        Assert.Equal([ClusterError.HostDeclaredDead], _rig.Connection.Closed);
        Assert.Equal(1, _rig.Logger.Count(2230));
    }

    /// <summary>The twin of the above for a dropped connection: its grace timer fires late after a freeze of this silo.</summary>
    [Fact]
    public async Task AGraceThatRanOutDuringAFreezeOfItsSiloMovesNoMapsUntilAFreshGraceRunsOut()
    {
        _rig.Online("prontera");
        await _rig.Failover.DisconnectedAsync(failure: true, "connection reset");
        var grace = Assert.Single(_rig.Timers); // due in 3 s: the host's lease outlasts the 500 ms grace

        _rig.Time.Advance(TimeSpan.FromSeconds(13)); // SIGSTOP for 10 s past the grace's end
        await grace.TickAsync();

        Assert.Equal(1, _rig.Logger.Count(2230));
        Assert.Equal(1, _rig.Maps.Count);
        Assert.Empty(_rig.Told);
        var watchdog = Assert.Single(_rig.Timers, t => !t.Disposed); // the watchdog takes over from the wake-up
        await PassAsync(watchdog, TimeSpan.FromSeconds(3) - Ms);
        Assert.Equal(1, _rig.Maps.Count); // the lease the host may hold counts from the wake-up, too
        await PassAsync(watchdog, Ms);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], _rig.Told);
    }

    /// <summary>
    /// The second half of the chaos finding above: the activation on the surviving silo took the host's heartbeats
    /// without the host registering again (the gateway kept its session) and wrote nothing, so the old activation's
    /// declaration, when its silo woke, was stored. Storing the state on the first heartbeat moves the ETag on.
    /// </summary>
    [Fact]
    public async Task AnActivationTheHostNeverRegisteredWithStoresTheStateOnceBeforeAcknowledgingItsHeartbeat()
    {
        _rig.State.Status = HostStatus.Online; // stored by the activation on the silo that died
        _rig.Maps.Add("prontera", 1, 100);
        _rig.Failover.Activated(_rig.Time.GetUtcNow());

        await _rig.Failover.AdoptAsync();
        Assert.Equal(1, _rig.Writes);
        await _rig.Failover.AdoptAsync();
        Assert.Equal(1, _rig.Writes); // once per activation
    }

    [Fact]
    public async Task AnAdoptingActivationWhoseDatabaseFailsAcknowledgesAnywayAndTriesAgainOnTheNextHeartbeat()
    {
        _rig.State.Status = HostStatus.Online;
        _rig.Failover.Activated(_rig.Time.GetUtcNow());
        _rig.FailWrites = true;
        _rig.WriteFailure = () => new ClusterException(ClusterError.StoreUnavailable, "the grain state database failed: gone");

        await _rig.Failover.AdoptAsync(); // the old activation cannot write either
        Assert.Equal(1, _rig.Logger.Count(2232));
        _rig.FailWrites = false;
        await _rig.Failover.AdoptAsync();
        await _rig.Failover.AdoptAsync();
        Assert.Equal(2, _rig.Writes); // the failed one and the one that stored; none after
    }

    [Fact]
    public async Task AnAdoptingActivationThatLostTheRaceToTheOldOneLetsTheConflictEscape()
    {
        _rig.State.Status = HostStatus.Online;
        _rig.Failover.Activated(_rig.Time.GetUtcNow());
        _rig.FailWrites = true;
        _rig.WriteFailure = () => new InconsistentStateException("ETag mismatch", "7", "8");

        // Orleans deactivates the activation a conflict escapes from; the next heartbeat reads what the old one stored.
        await Assert.ThrowsAsync<InconsistentStateException>(_rig.Failover.AdoptAsync);
    }

    [Fact]
    public async Task AnActivationTheHostRegisteredWithWritesNothingMoreOnItsHeartbeats()
    {
        _rig.Online("prontera");
        await _rig.Failover.AdoptAsync();
        Assert.Equal(0, _rig.Writes);
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
