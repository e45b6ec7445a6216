using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests;

/// <summary>The host grain's parts on their own, on a hand-moved clock: liveness, overload, players' reports, the epoch ledger.</summary>
public sealed class HostPartsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1); // HostFailover.FreezeTolerance at a 3 s timeout
    private readonly List<(TimeSpan Due, TimeSpan Period)> _timers = [];

    private HostLiveness Liveness() => new((_, due, period) =>
    {
        _timers.Add((due, period));
        return new NoTimer();
    });

    private static LivenessVerdict Check(HostLiveness l, TimeSpan after, bool isLive = true, bool holdsMaps = true) =>
        l.Check(T0 + after, isLive, holdsMaps, Period, Timeout, Grace);

    [Fact]
    public void ALiveHostIsDeclaredSilentOnlyAfterTheHeartbeatTimeout()
    {
        var l = Liveness();
        l.Activated(T0, owesGrace: false, TimeSpan.Zero);
        l.Connecting(T0);
        l.Connected();
        for (var t = Period; t < Timeout; t += Period) Assert.Equal(LivenessVerdict.Alive, Check(l, t));
        Assert.Equal(LivenessVerdict.Silent, Check(l, Timeout));
    }

    [Fact]
    public void AnActivationAfterASiloDeathOwesTheHostItsFailoverGrace()
    {
        var l = Liveness();
        l.Activated(T0, owesGrace: true, TimeSpan.FromSeconds(10));
        for (var t = Period; t < TimeSpan.FromSeconds(10); t += Period) Assert.Equal(LivenessVerdict.Alive, Check(l, t, isLive: false));
        Assert.Equal(LivenessVerdict.Gone, Check(l, TimeSpan.FromSeconds(10), isLive: false));
        Assert.True(l.Dead);
    }

    [Fact]
    public void AWatchdogThatFiredFarPastItsDeadlineBlamesItselfNotTheHost()
    {
        var l = Liveness();
        l.Activated(T0, owesGrace: false, TimeSpan.Zero);
        l.ArmWatchdog(() => Task.CompletedTask, T0 + Period, T0);
        Assert.Equal(LivenessVerdict.Alive, Check(l, Period + Period)); // late by one tolerance: not yet a freeze
        l.ArmWatchdog(() => Task.CompletedTask, T0 + 3 * Period, T0 + 2 * Period);
        Assert.Equal(LivenessVerdict.WokeFromFreeze, Check(l, TimeSpan.FromSeconds(30)));
        Assert.Equal(T0 + TimeSpan.FromSeconds(30), l.LastHeartbeat);
        Assert.Equal(LivenessVerdict.Alive, Check(l, TimeSpan.FromSeconds(31))); // not armed since: blamed once
    }

    [Fact]
    public void TheWatchdogIsDueWhenTheHostWouldTurnLateThenWhenSilentAndNeverBeforeAGraceEnds()
    {
        var l = Liveness();
        l.Activated(T0, owesGrace: true, TimeSpan.FromSeconds(10));
        Assert.Equal(T0 + TimeSpan.FromSeconds(10), l.NextCheck(T0, isLive: false, holdsMaps: true, Timeout, Grace));
        l.Connecting(T0);
        l.Connected();
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(1501), l.NextCheck(T0, isLive: true, holdsMaps: true, Timeout, Grace));
        Assert.False(l.Late(T0 + TimeSpan.FromMilliseconds(1500), isLive: true, Timeout));
        Assert.True(l.Late(T0 + TimeSpan.FromMilliseconds(1501), isLive: true, Timeout));
        Assert.Equal(T0 + Timeout, l.NextCheck(T0 + TimeSpan.FromMilliseconds(1501), isLive: true, holdsMaps: true, Timeout, Grace));
        l.Disconnected(T0 + TimeSpan.FromSeconds(1), Timeout, Grace, _ => Task.CompletedTask);
        Assert.Equal(T0 + Timeout, l.NextCheck(T0 + TimeSpan.FromSeconds(1), isLive: false, holdsMaps: true, Timeout, Grace)); // the lease outlasts the grace
        l.Connecting(T0 + TimeSpan.FromSeconds(2));
        Assert.Null(l.NextCheck(T0 + TimeSpan.FromSeconds(2), isLive: false, holdsMaps: false, Timeout, Grace)); // nothing to watch
    }

    [Fact]
    public void ADroppedConnectionsGraceLastsUntilTheLeaseIsSurelyOverAndEndsOnce()
    {
        var l = Liveness();
        l.Activated(T0, owesGrace: false, TimeSpan.Zero);
        l.Heartbeat(T0);
        l.Disconnected(T0 + TimeSpan.FromSeconds(1), Timeout, Grace, _ => Task.CompletedTask);
        Assert.Equal(TimeSpan.FromSeconds(2), _timers.Single().Due); // the lease (3 s from the last heartbeat) outlasts the 500 ms grace
        var since = l.DisconnectedAt;
        var end = T0 + TimeSpan.FromSeconds(3);
        Assert.Equal(LivenessVerdict.Gone, l.GraceExpired(since, end, Tolerance));
        Assert.True(l.Dead);
        Assert.Equal(LivenessVerdict.Alive, l.GraceExpired(since, end, Tolerance)); // once
    }

    [Fact]
    public void AHostThatReconnectsWithinItsGraceKeepsItsMaps()
    {
        var l = Liveness();
        l.Activated(T0, owesGrace: false, TimeSpan.Zero);
        l.Disconnected(T0, Timeout, Grace, _ => Task.CompletedTask);
        var since = l.DisconnectedAt;
        l.Connecting(T0 + Grace / 2);
        Assert.Equal(LivenessVerdict.Alive, l.GraceExpired(since, T0 + Grace, Tolerance));
        Assert.False(l.Dead);
    }

    [Fact]
    public void AnOverloadedHostShedsOnceAfterTheWindowAndNotAgainWithinTheCooldown()
    {
        var options = new DistributionOptions { OverloadWindowMs = 1000, RebalanceCooldownMs = 30_000, RecoveryMarginPercent = 10 };
        var capacity = HostCapacity.Default;
        var over = new HostLoad(99, 99, 0, 0);
        var tracker = new OverloadTracker();
        Assert.False(tracker.Observe(over, capacity, holdsMaps: true, T0, options));
        Assert.True(tracker.Overloaded);
        Assert.True(tracker.Observe(over, capacity, holdsMaps: true, T0 + TimeSpan.FromSeconds(1), options));
        Assert.False(tracker.Observe(over, capacity, holdsMaps: true, T0 + TimeSpan.FromSeconds(10), options));
        Assert.True(tracker.Observe(over, capacity, holdsMaps: true, T0 + TimeSpan.FromSeconds(31), options));
        Assert.False(tracker.Observe(HostLoad.Idle, capacity, holdsMaps: true, T0 + TimeSpan.FromSeconds(32), options));
        Assert.False(tracker.Overloaded);
    }

    [Fact]
    public void EnoughDistinctPlayersWithinTheWindowMakeAHostSuspect()
    {
        var reports = new PlayerReports();
        var window = TimeSpan.FromSeconds(30);
        Assert.Null(reports.Unreachable(1, T0, window, threshold: 3));
        Assert.Null(reports.Unreachable(1, T0 + TimeSpan.FromSeconds(1), window, 3)); // the same player again
        Assert.Null(reports.Unreachable(2, T0 + TimeSpan.FromSeconds(40), window, 3)); // player 1's report has expired
        Assert.Null(reports.Unreachable(3, T0 + TimeSpan.FromSeconds(41), window, 3));
        Assert.Equal(3, reports.Unreachable(4, T0 + TimeSpan.FromSeconds(42), window, 3));
        Assert.True(reports.Suspect);
        reports.Reset();
        Assert.False(reports.Suspect);
    }

    [Fact]
    public void PlayersRoundTripsAreAMovingAverage()
    {
        var reports = new PlayerReports();
        Assert.Equal(-1, reports.LatencyMs);
        reports.RoundTrip(100);
        reports.RoundTrip(200);
        Assert.Equal(120, reports.LatencyMs, 3);
    }

    [Fact]
    public void TheLedgerFencesStaleEpochsAndOrdersWhatTheHostDoesNotRun()
    {
        var state = new HostState();
        var ledger = new EpochLedger(() => state);
        Assert.True(ledger.Add("prontera", 3, 300));
        Assert.True(ledger.Add("geffen", 5, 150));
        Assert.False(ledger.Add("prontera", 2, 300)); // older than held
        Assert.Null(ledger.Remove("geffen", 4)); // came back since under 5
        var notRunning = new List<string>();
        var reply = ledger.Fence([new MapInstanceReport("prontera", 2, MapInstanceState.Running, 0)], new InstanceStateAudit(), T0,
            (map, _) => notRunning.Add(map));
        Assert.Equal([new MapRevocation("prontera", 2, RevocationReason.StaleEpoch)], reply.Revoke);
        Assert.Equal(["geffen", "prontera"], reply.Assign.Select(o => o.Map).Order());
        Assert.Equal(["geffen", "prontera"], notRunning.Order());

        ledger.Forget([new("prontera", 3)], RevocationReason.Drained);
        Assert.Equal([new HostLoss("prontera", 3, RevocationReason.Drained)], state.Losses);
        Assert.False(ledger.Holds("prontera", 3));
        Assert.Equal(5, ledger.Remove("geffen", 5));
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public void PlacementRetriesBackOffToTheReminderPeriodAndStartOverOncePlaced()
    {
        var retry = new PlacementRetry();
        var max = TimeSpan.FromSeconds(5);
        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(0, 5).Select(_ => retry.Next(max).TotalSeconds));
        retry.Reset();
        Assert.Equal(PlacementRetry.First, retry.Next(max));
    }

    private sealed class NoTimer : IGrainTimer
    {
        public void Change(TimeSpan dueTime, TimeSpan period) { }

        public void Dispose() { }
    }
}
