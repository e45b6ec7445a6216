namespace P2PCluster.Grains;

/// <summary>
/// Whether a host is still there, as one host grain activation sees it: its heartbeat clock, a dropped connection's
/// reconnect grace, the failover grace owed after a silo death (<see cref="FailoverGrace"/>), and whether it was declared
/// dead. <see cref="Check"/> is the watchdog's decision; the grain acts on it. It owns the watchdog and grace timers.
/// </summary>
/// <remarks>
/// The watchdog is a deadline, not a period: it is armed for the next instant at which the verdict or the host's status
/// could change if nothing more is heard (<see cref="NextCheck"/>), and each heartbeat moves that instant on
/// (<see cref="ArmWatchdog"/>, a timer change: no grain turn). A period of a sixth of the timeout cost every host six
/// grain turns per timeout: at 10,000 hosts 20,000 timer messages a second, most of the silo's allocations beside the
/// heartbeats themselves (docs/benchmarks.md, heartbeats). A healthy host's watchdog now never fires.
/// </remarks>
public sealed class HostLiveness(Func<Func<Task>, TimeSpan, TimeSpan, IGrainTimer> timers)
{
    /// <summary>The longest due time a grain timer accepts (about 49 days).</summary>
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The resolution of grain timers: "strictly past" an instant is this much after it.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly FailoverGrace _failover = new();
    private IGrainTimer? _watchdog;
    private IGrainTimer? _graceExpiry;
    private DateTimeOffset? _graceDue; // when _graceExpiry is due to fire

    /// <summary>When the watchdog is due to fire; null when it is not armed (or its tick has been checked).</summary>
    public DateTimeOffset? WatchdogDue { get; private set; }

    /// <summary>Whether the watchdog timer exists (armed, or running its tick).</summary>
    public bool Watching => _watchdog is not null;

    /// <summary>When the host was last heard from (or the activation began, or this silo woke from a freeze).</summary>
    public DateTimeOffset LastHeartbeat { get; private set; }

    /// <summary>When a dropped connection began its reconnect grace; null when none is running.</summary>
    public DateTimeOffset? DisconnectedAt { get; private set; }

    /// <summary>Declared dead (silent, or gone past its grace) and not back since: what the cluster-state grain counts.</summary>
    public bool Dead { get; set; }

    /// <summary>True once the host has registered (CONNECT) with this activation.</summary>
    public bool Registered => _failover.Registered;

    /// <summary>
    /// The activation begins: "not heard from yet" is not "dead". A host that held maps or was live keeps them for
    /// <paramref name="grace"/>: its agent may still be waiting out a frozen silo's silence before it reconnects.
    /// </summary>
    public void Activated(DateTimeOffset now, bool owesGrace, TimeSpan grace)
    {
        LastHeartbeat = now;
        if (owesGrace) _failover.Begin(now, grace);
    }

    /// <summary>A registration arrives (before it is stored): the clock restarts and any reconnect grace ends.</summary>
    public void Connecting(DateTimeOffset now)
    {
        DisconnectedAt = null;
        StopGraceExpiry();
        LastHeartbeat = now;
    }

    /// <summary>The registration was stored: from now on the ordinary heartbeat timeout applies.</summary>
    public void Connected() => _failover.Heard(registered: true);

    public void Heartbeat(DateTimeOffset now)
    {
        LastHeartbeat = now;
        _failover.Heard(registered: false);
    }

    /// <summary>
    /// The connection dropped: the maps move if it does not come back within the reconnect grace, and not before the
    /// host's lease has surely run out either (it may still serve on its last acknowledged heartbeat, and a map must
    /// never be served by two hosts at once: docs/placement.md, "Leases"). One timer fires exactly then; the watchdog
    /// alone would notice up to one of its periods late.
    /// </summary>
    public void Disconnected(DateTimeOffset now, TimeSpan heartbeatTimeout, TimeSpan reconnectGrace, Func<DateTimeOffset?, Task> expired)
    {
        DisconnectedAt = now;
        StopGraceExpiry();
        var leaseOver = LastHeartbeat + heartbeatTimeout - now;
        var due = leaseOver > reconnectGrace ? leaseOver : reconnectGrace;
        if (due > MaxTimerDue) due = MaxTimerDue;
        var since = DisconnectedAt;
        _graceDue = now + due;
        _graceExpiry = timers(() => expired(since), due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The grace of the disconnect at <paramref name="since"/> ran out at <paramref name="now"/>: <see cref="LivenessVerdict.Gone"/>
    /// (the maps move), unless the host reconnected or its maps moved already (<see cref="LivenessVerdict.Alive"/>: nothing
    /// to do) or the timer fired late because this silo stood still (<see cref="LivenessVerdict.WokeFromFreeze"/>: the
    /// grace starts again, the watchdog ends it). No early-firing check: a timer may fire a little early, and the maps
    /// would then wait for the watchdog.
    /// </summary>
    public LivenessVerdict GraceExpired(DateTimeOffset? since, DateTimeOffset now, TimeSpan freezeTolerance)
    {
        if (DisconnectedAt is null || DisconnectedAt != since) return LivenessVerdict.Alive;
        if (WokeFromFreeze(now, freezeTolerance)) return LivenessVerdict.WokeFromFreeze;
        EndGrace();
        return LivenessVerdict.Gone;
    }

    /// <summary>
    /// The watchdog's decision at <paramref name="now"/> for a host that <paramref name="isLive"/> (online or draining)
    /// and <paramref name="holdsMaps"/>. Records what it decides (a grace ended, declared dead); the grain moves the maps.
    /// A watchdog that fires more than <paramref name="freezeTolerance"/> after it was due woke from a freeze of this
    /// silo: timers here fire on time, so such a delay means the whole process stood still.
    /// </summary>
    public LivenessVerdict Check(DateTimeOffset now, bool isLive, bool holdsMaps, TimeSpan freezeTolerance, TimeSpan heartbeatTimeout, TimeSpan reconnectGrace)
    {
        if (WokeFromFreeze(now, freezeTolerance)) return LivenessVerdict.WokeFromFreeze;
        WatchdogDue = null;
        bool silent = now - LastHeartbeat >= heartbeatTimeout;
        bool inGrace = _failover.Covers(now);
        if (DisconnectedAt is { } since && now - since >= reconnectGrace && silent)
        {
            EndGrace();
            return LivenessVerdict.Gone;
        }
        if (isLive && silent && !inGrace) return LivenessVerdict.Silent;
        if (!isLive && DisconnectedAt is null && holdsMaps && silent && !inGrace)
        {
            // Re-activated after a silo death with maps but no host behind them.
            Dead = true;
            return LivenessVerdict.Gone;
        }
        return LivenessVerdict.Alive;
    }

    /// <summary>
    /// Whether this silo stood still (SIGSTOP, a hung VM) since the host was last heard from: one of this activation's
    /// deadlines, the watchdog's or the reconnect grace's, passed more than <paramref name="freezeTolerance"/> ago without
    /// its timer having fired (timers here fire on time; such a delay means the whole process stood still). If so the
    /// clock restarts at <paramref name="now"/> (a running grace with it) and the watchdog is due again: nobody could be
    /// heard meanwhile, least of all by us, and the cluster has probably declared this silo dead and re-activated the
    /// grain elsewhere, where the host is heard. Checked by whatever runs first after the freeze — the watchdog, the
    /// grace, or the liveness reminder (whose re-arming of the watchdog would otherwise erase the evidence).
    /// </summary>
    public bool WokeFromFreeze(DateTimeOffset now, TimeSpan freezeTolerance)
    {
        bool overdue = WatchdogDue is { } due && now - due > freezeTolerance || _graceDue is { } grace && now - grace > freezeTolerance;
        if (!overdue) return false;
        WatchdogDue = null;
        LastHeartbeat = now;
        if (DisconnectedAt is not null)
        {
            DisconnectedAt = now; // the grace, too, counts from the wake-up: the watchdog ends it (NextCheck)
            StopGraceExpiry();
        }
        return true;
    }

    /// <summary>Whether nothing is left to watch: not live, no reconnect grace running, no maps.</summary>
    public bool Idle(bool isLive, bool holdsMaps) => !isLive && DisconnectedAt is null && !holdsMaps;

    /// <summary>
    /// Whether the host counts as late at <paramref name="now"/>: live, and silent for more than half its heartbeat
    /// timeout (its status shows suspect; <see cref="NextCheck"/> wakes the watchdog to report it).
    /// </summary>
    public bool Late(DateTimeOffset now, bool isLive, TimeSpan heartbeatTimeout) => isLive && now - LastHeartbeat > heartbeatTimeout / 2;

    /// <summary>
    /// The next instant at which, if nothing more is heard, <see cref="Check"/> or <see cref="Late"/> could answer
    /// differently than at <paramref name="now"/>; null when nothing is left to watch (<see cref="Idle"/>).
    /// </summary>
    public DateTimeOffset? NextCheck(DateTimeOffset now, bool isLive, bool holdsMaps, TimeSpan heartbeatTimeout, TimeSpan reconnectGrace)
    {
        if (Idle(isLive, holdsMaps)) return null;
        var silentAt = LastHeartbeat + heartbeatTimeout;
        if (DisconnectedAt is { } since) return Later(since + reconnectGrace, silentAt);
        var at = Later(silentAt, _failover.Until);
        var lateAt = LastHeartbeat + heartbeatTimeout / 2 + Tick;
        return isLive && lateAt > now && lateAt < at ? lateAt : at;
    }

    /// <summary>
    /// Arms the watchdog to fire at <paramref name="at"/> (at the earliest a timer tick from <paramref name="now"/>):
    /// the first call creates its timer, later ones move it. A tick already queued for an earlier deadline is dropped.
    /// </summary>
    public void ArmWatchdog(Func<Task> tick, DateTimeOffset at, DateTimeOffset now)
    {
        var due = at - now;
        if (due < Tick) due = Tick;
        if (due > MaxTimerDue) due = MaxTimerDue;
        WatchdogDue = now + due;
        if (_watchdog is null) _watchdog = timers(tick, due, Timeout.InfiniteTimeSpan);
        else _watchdog.Change(due, Timeout.InfiniteTimeSpan);
    }

    public void StopWatchdog()
    {
        _watchdog?.Dispose();
        _watchdog = null;
        WatchdogDue = null;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void EndGrace()
    {
        DisconnectedAt = null;
        StopGraceExpiry();
        Dead = true;
    }

    private void StopGraceExpiry()
    {
        _graceExpiry?.Dispose();
        _graceExpiry = null;
        _graceDue = null;
    }
}
