using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// Owns one host node: identity, status, the maps it holds (with their epochs), its reliability record — persisted —
/// and, in memory only, its live connection, load and heartbeat clock. Declares the host dead on silence or a lost
/// connection and moves its maps; sheds a map when the host stays overloaded. It activates on the silo whose gateway
/// holds the host's connection (heartbeats stay in-process); if that silo dies with the host, the liveness reminder
/// brings it back on a survivor.
/// </summary>
[PreferLocalPlacement]
public sealed partial class HostGrain(
    [PersistentState("host", StorageNames.State)] IPersistentState<HostState> state,
    IOptions<DistributionOptions> options,
    DistributionMetrics metrics,
    ClusterTallies tallies,
    TimeProvider time,
    ILogger<HostGrain> logger) : Grain, IHostGrain, IRemindable
{
    /// <summary>Ed25519 public keys are 32 bytes.</summary>
    public const int PublicKeyLength = 32;
    private const string LivenessReminder = "liveness";

    private IHostConnection? _connection;
    /// <summary>
    /// The gateway session the host registered through last (<see cref="HostRegistration.Connection"/>). In memory: a
    /// re-activated grain knows none and takes the first session it hears from.
    /// </summary>
    private Guid _session;
    private HostLoad _load = HostLoad.Idle;
    private DateTimeOffset _lastHeartbeat;
    private DateTimeOffset _lastDirectoryUpdate = DateTimeOffset.MinValue;
    private DateTimeOffset? _overloadedSince;
    private DateTimeOffset _lastShed = DateTimeOffset.MinValue;
    private bool _overloaded;
    private IGrainTimer? _watchdog;
    private readonly Dictionary<int, DateTimeOffset> _unreachableReports = [];
    private bool _suspect;
    private double _latencyMs = -1; // moving average of players' reported round trips; -1 = none yet
    private IGrainTimer? _graceExpiry;
    private DateTimeOffset? _disconnectedAt;
    private readonly FailoverGrace _failover = new();
    private HostState _durable = new(); // a copy of what storage holds: memory goes back to it when a write fails
    // Instance states on their way to map grains, by map: forwarded without waiting (see MapStateAsync) and resent
    // from the heartbeat until a map grain confirms. Sequence numbers start at the activation's clock, so a report from
    // a later activation of this grain still orders after an earlier one's.
    private readonly Dictionary<string, InstanceReport> _instanceReports = new(StringComparer.Ordinal);
    private long _instanceSequence;
    private readonly InstanceStateAudit _audit = new();
    private readonly HostStatusReporter _status = new();
    private bool _dead; // declared dead (FailoverCause.Dead/Silent) and not back since: what the cluster-state grain counts
    private readonly Dictionary<string, int> _mapPlayers = new(StringComparer.Ordinal);
    private HostLossOutbox _losses = null!; // map grains being told that this host lost them (needs the grain's key)
    private IGrainTimer? _lossTimer;
    private TimeSpan _lossPeriod;

    private DistributionOptions Options => options.Value;
    private string HostId => this.GetPrimaryKeyString();
    private IHostDirectoryGrain Directory => GrainFactory.GetGrain<IHostDirectoryGrain>(0);
    private bool IsLive => state.State.Status is HostStatus.Online or HostStatus.Draining;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durable = state.State.Copy();
        Names.RequireHostId(HostId);
        // After a silo death the grain comes back here. "Not heard from yet" is not "dead": the host's agent may still
        // be waiting out a frozen silo's silence before it reconnects. It keeps its maps for the failover grace.
        _lastHeartbeat = time.GetUtcNow();
        _instanceSequence = _lastHeartbeat.UtcTicks;
        _losses = new HostLossOutbox(HostId, loss => GrainFactory.GetGrain<IMapGrain>(loss.Map).HostLostAsync(HostId, loss.Epoch, loss.Reason), time, logger);
        TellLosses(); // left by an activation that died before every map grain confirmed
        if (IsLive || state.State.Maps.Count > 0)
        {
            _failover.Begin(_lastHeartbeat, Options.FailoverGrace);
            StartWatchdog();
        }
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<HostInfo> GetAsync() => Task.FromResult(Snapshot());

    public async Task<HostInfo> ConnectAsync(HostRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.PublicKey is not { Length: PublicKeyLength })
            throw new ClusterException(ClusterError.InvalidArgument, $"public key must be {PublicKeyLength} bytes (Ed25519)");
        if (!Enum.IsDefined(registration.Kind))
            throw new ClusterException(ClusterError.InvalidArgument, $"unknown host kind {(int)registration.Kind}");
        Names.RequireEndpoint(registration.Endpoint);

        var s = state.State;
        if (s.PublicKey is not null && !s.PublicKey.AsSpan().SequenceEqual(registration.PublicKey))
            throw new ClusterException(ClusterError.IdentityMismatch, $"host {HostId} is bound to another public key");
        if (s.Status == HostStatus.Banned)
        {
            ReportStatus(); // its grain may have forgotten: a banned host knocking is counted again
            throw new ClusterException(ClusterError.HostBanned, $"host {HostId} is banned");
        }
        if (Options.RequireApproval && !s.Approved)
        {
            // Remembered with its kind and endpoint, and listed (offline, not approved), so that an operator sees it
            // waiting and can approve its key. Written only when that changed: a host knocking again costs no write.
            if (s.PublicKey is null || s.Kind != registration.Kind || s.Endpoint != registration.Endpoint)
            {
                s.PublicKey ??= registration.PublicKey.ToArray();
                (s.Kind, s.Endpoint) = (registration.Kind, registration.Endpoint);
                await WriteStateAsync();
            }
            await PublishAsync(force: true);
            throw new ClusterException(ClusterError.HostNotApproved, $"host {HostId} is not approved; an operator must approve its key");
        }

        // Written only if something changed: a host reconnecting after a silo restart finds itself Online already,
        // and a reconnect storm must not cost a write per host.
        var status = s.Draining ? HostStatus.Draining : HostStatus.Online;
        // The first registration of an activation is always written: it moves the stored ETag on, so an older
        // activation left on a frozen silo fails any write it attempts on waking (and cannot evacuate this host).
        bool changed = s.PublicKey is null || s.Kind != registration.Kind || s.Endpoint != registration.Endpoint
            || s.OnlineSince is null || s.Status != status || !s.LivenessReminder || !_failover.Registered;
        s.PublicKey ??= registration.PublicKey.ToArray();
        s.Kind = registration.Kind;
        s.Endpoint = registration.Endpoint;
        if (s.OnlineSince is null)
        {
            s.OnlineSince = time.GetUtcNow();
            s.Reliability = s.Reliability with { Sessions = s.Reliability.Sessions + 1 };
        }
        s.Status = status;
        if (registration.Connection != _session)
        {
            // Through another gateway session: the older session's observer no longer reaches the agent.
            _session = registration.Connection;
            _connection = null;
        }
        _disconnectedAt = null;
        _suspect = false; // a fresh connection gets a fresh chance
        _audit.ForgetAll();
        _unreachableReports.Clear();
        StopGraceExpiry();
        _lastHeartbeat = time.GetUtcNow();
        if (!s.LivenessReminder)
        {
            await this.RegisterOrUpdateReminder(LivenessReminder, Options.ReminderPeriod, Options.ReminderPeriod);
            s.LivenessReminder = true;
        }
        if (changed) await WriteStateAsync();
        _failover.Heard(registered: true);
        StartWatchdog();
        await PublishAsync(force: true);
        _dead = false;
        ReportStatus();
        return Snapshot();
    }

    public Task AttachAsync(IHostConnection connection, Guid session = default)
    {
        if (!IsLive || IsStale(session)) return Task.CompletedTask;
        if (session != Guid.Empty) _session = session;
        _connection = connection;
        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="session"/> is an older gateway session than the one the host registered through last.</summary>
    private bool IsStale(Guid session) => session != Guid.Empty && _session != Guid.Empty && session != _session;

    public async Task DisconnectAsync(bool failure, string? reason, Guid connection = default)
    {
        if (IsStale(connection))
        {
            LogStaleDisconnect(logger, HostId);
            return;
        }
        _connection = null;
        var s = state.State;
        if (!IsLive) return; // already declared dead (or never connected): nothing more to count
        if (failure && IsLive)
        {
            // A dropped connection may come back; the maps move if it does not within the grace.
            _disconnectedAt = time.GetUtcNow();
            StartGraceExpiry();
            CloseSession(failure: true, reason);
            if (s.Status != HostStatus.Banned) s.Status = HostStatus.Offline;
            await WriteStateAsync();
            await Directory.RemoveAsync(HostId);
            ReportStatus();
            return;
        }
        CloseSession(failure, reason);
        if (s.Status != HostStatus.Banned) s.Status = HostStatus.Offline;
        await WriteStateAsync();
        _dead = false;
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead); // it left with maps: for them, it is gone
        ReportStatus();
    }

    public async Task AddMapAsync(string map, long epoch, int maxPlayers = 100)
    {
        Names.RequireMapName(map);
        if (epoch < 1) throw new ClusterException(ClusterError.InvalidArgument, $"epoch {epoch} must be positive");
        if (state.State.Maps.TryGetValue(map, out long held) && held >= epoch) return;
        state.State.Maps[map] = epoch;
        state.State.MaxPlayers[map] = maxPlayers;
        await WriteStateAsync();
        _connection?.AssignAsync(new MapOrder(map, epoch, maxPlayers));
        if (!IsLive && _disconnectedAt is null)
        {
            // Placed on a host that has since gone: hand the map straight back. Through the outbox (the map grain is
            // waiting on this call), and retried: this host has forgotten the map, so nobody else would move it.
            await ForgetAsync([new(map, epoch)], RevocationReason.Reassigned);
            metrics.FailedOver(FailoverCause.Dead, 1);
            TellLosses();
        }
    }

    public async Task RemoveMapAsync(string map, long epoch, RevocationReason reason = RevocationReason.Reassigned)
    {
        Names.RequireMapName(map);
        // A newer epoch means the map came back to this host since; the stale removal must not drop it.
        if (!state.State.Maps.TryGetValue(map, out long held) || held > epoch) return;
        state.State.Maps.Remove(map);
        state.State.MaxPlayers.Remove(map);
        await WriteStateAsync();
        _connection?.RevokeAsync(new MapRevocation(map, held, reason));
    }

    public async Task ReportCapacityAsync(HostCapacity capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        if (capacity.MaxMaps < 1 || capacity.MaxPlayers < 1 || capacity.CpuLimitPercent is < 1 or > 100
            || capacity.MemoryLimitPercent is < 1 or > 100 || capacity.NetworkLimitMbps < 1)
            throw new ClusterException(ClusterError.InvalidArgument, "capacity values out of range");
        if (state.State.Capacity == capacity) return;
        state.State.Capacity = capacity;
        await WriteStateAsync();
        await PublishAsync(force: true);
    }

    public async Task<HeartbeatReply> HeartbeatAsync(HostHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (!IsLive) throw new ClusterException(ClusterError.HostDeclaredDead, $"host {HostId} is not connected; reconnect");
        var now = time.GetUtcNow();
        _lastHeartbeat = now;
        _failover.Heard(registered: false);
        _load = heartbeat.Load;
        _mapPlayers.Clear(); // memory only: what operators see per map (never written)
        foreach (var report in heartbeat.Maps) if (report.Players > 0) _mapPlayers[report.Map] = report.Players;

        List<MapRevocation>? revoke = null;
        List<MapOrder>? assign = null;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        _audit.Retain(state.State.Maps);
        foreach (var report in heartbeat.Maps)
        {
            if (report.State == MapInstanceState.Stopped) continue; // not running: re-sent below if the host should run it
            if (!state.State.Maps.TryGetValue(report.Map, out long held) || report.Epoch != held)
            {
                (revoke ??= []).Add(new MapRevocation(report.Map, report.Epoch, RevocationReason.StaleEpoch));
                continue;
            }
            reported.Add(report.Map);
            // The map grain's record may be behind the instance (a MAP_STATE lost while the cluster re-formed): the
            // host is asked to report it again, port included (InstanceStateAudit).
            if (_audit.ShouldAsk(report.Map, held, report.State, now, InstanceStateResend))
                (assign ??= []).Add(Order(report.Map, held));
        }
        foreach (var (map, epoch) in state.State.Maps)
        {
            if (reported.Contains(map)) continue;
            (assign ??= []).Add(Order(map, epoch));
            // The host does not run it (its lease ran out, or it never got the assignment): players must not be sent
            // to a port that is closed, so the map grain hears Stopped until the instance reports again.
            if (_audit.Last(map, epoch) is not MapInstanceState.Stopped) RecordInstanceState(map, epoch, MapInstanceState.Stopped, 0);
        }

        ResendInstanceStates(now);
        await TrackOverloadAsync(now);
        await PublishAsync(force: false);
        return revoke is null && assign is null ? HeartbeatReply.Empty : new HeartbeatReply(revoke ?? [], assign ?? []);
    }

    public async Task<MapRevocation?> MapStateAsync(string map, long epoch, MapInstanceState instanceState, int port)
    {
        Names.RequireMapName(map);
        if (!state.State.Maps.TryGetValue(map, out long held) || epoch != held)
            return instanceState == MapInstanceState.Stopped ? null : new MapRevocation(map, epoch, RevocationReason.StaleEpoch);
        if (instanceState == MapInstanceState.Failed)
        {
            // The host cannot run it (no free port, the command keeps failing, over max_maps): place it elsewhere.
            await ForgetAsync([new(map, epoch)], RevocationReason.Reassigned);
            await PublishAsync(force: true);
            TellLosses();
            return null;
        }
        // Not awaited: the map grain may itself be waiting on this host (placing a map here), and a call back would
        // deadlock both. This grain's own record of the epoch is what fences the report; the sequence number orders
        // reports that overtake each other, and the heartbeat resends one that got lost.
        RecordInstanceState(map, epoch, instanceState, port);
        return null;
    }

    private MapOrder Order(string map, long epoch) => new(map, epoch, state.State.MaxPlayers.GetValueOrDefault(map, 100));

    private void RecordInstanceState(string map, long epoch, MapInstanceState instanceState, int port)
    {
        _audit.Heard(map, epoch, instanceState);
        var report = new InstanceReport(epoch, instanceState, port, ++_instanceSequence);
        _instanceReports[map] = report;
        ForwardInstanceState(map, report);
    }

    private void ForwardInstanceState(string map, InstanceReport report)
    {
        report.SentAt = time.GetUtcNow();
        _ = ForwardAsync();

        async Task ForwardAsync()
        {
            try
            {
                await GrainFactory.GetGrain<IMapGrain>(map).InstanceStateAsync(HostId, report.Epoch, report.State, report.Port, report.Sequence);
                report.Confirmed = true; // answered, applied or not: a stale epoch is fenced there, a later report won
            }
            catch (Exception e)
            {
                LogInstanceStateRetry(logger, map, HostId, e.GetType().Name);
            }
        }
    }

    /// <summary>Resends instance states no map grain has confirmed; forgets those of maps this host no longer holds.</summary>
    private void ResendInstanceStates(DateTimeOffset now)
    {
        if (_instanceReports.Count == 0) return;
        List<string>? gone = null;
        foreach (var (map, report) in _instanceReports)
        {
            if (!state.State.Maps.TryGetValue(map, out long held) || held != report.Epoch || report.Confirmed)
                (gone ??= []).Add(map);
            else if (now - report.SentAt >= InstanceStateResend)
                ForwardInstanceState(map, report);
        }
        if (gone is not null) foreach (string map in gone) _instanceReports.Remove(map);
    }

    /// <summary>How long an unconfirmed instance state waits before the next heartbeat resends it.</summary>
    private static readonly TimeSpan InstanceStateResend = TimeSpan.FromSeconds(1);

    private sealed class InstanceReport(long epoch, MapInstanceState state, int port, long sequence)
    {
        public long Epoch { get; } = epoch;
        public MapInstanceState State { get; } = state;
        public int Port { get; } = port;
        public long Sequence { get; } = sequence;
        public DateTimeOffset SentAt { get; set; }
        public bool Confirmed { get; set; }
    }

    [LoggerMessage(EventId = 2212, Level = LogLevel.Information, Message = "Map {Map} has not confirmed host {HostId}'s instance state yet ({Error}); the next heartbeat resends it")]
    private static partial void LogInstanceStateRetry(ILogger logger, string map, string hostId, string error);

    public async Task SetApprovedAsync(bool approved)
    {
        if (state.State.Approved == approved) return;
        state.State.Approved = approved;
        await WriteStateAsync();
        await PublishAsync(force: true); // operators' host list shows the approval
        if (!approved && Options.RequireApproval && IsLive)
        {
            CloseSession(failure: false, reason: null);
            state.State.Status = HostStatus.Offline;
            await WriteStateAsync();
            _connection?.CloseAsync(ClusterError.HostNotApproved, $"host {HostId} is no longer approved");
            _connection = null;
            await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Operator);
            ReportStatus();
        }
    }

    public async Task SetBannedAsync(bool banned)
    {
        var s = state.State;
        if (banned == (s.Status == HostStatus.Banned)) return;
        if (banned)
        {
            CloseSession(failure: false, reason: null);
            s.Status = HostStatus.Banned;
            await WriteStateAsync();
            _connection?.CloseAsync(ClusterError.HostBanned, $"host {HostId} is banned");
            _connection = null;
            await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Operator);
        }
        else
        {
            s.Status = HostStatus.Offline;
            await WriteStateAsync();
            await PublishAsync(force: true); // listed as offline again
        }
        ReportStatus();
    }

    public async Task SetDrainingAsync(bool draining)
    {
        var s = state.State;
        if (s.Draining == draining) return;
        s.Draining = draining;
        if (IsLive) s.Status = draining ? HostStatus.Draining : HostStatus.Online;
        await WriteStateAsync();
        await PublishAsync(force: true);
        if (draining) await EvacuateAsync(RevocationReason.Drained, FailoverCause.Operator);
        ReportStatus();
    }

    public Task ReportLatencyAsync(int roundTripMs)
    {
        if (!IsLive || roundTripMs is < 0 or > 60_000) return Task.CompletedTask;
        // Exponential moving average: one player's bad Wi-Fi moves it a little, many players' reports a lot.
        _latencyMs = _latencyMs < 0 ? roundTripMs : 0.8 * _latencyMs + 0.2 * roundTripMs;
        return Task.CompletedTask;
    }

    public async Task ReportRejectedWriteAsync(ClusterError code, string reason)
    {
        tallies.CountRefusedWrite(HostId);
        var s = state.State;
        var now = time.GetUtcNow();
        s.Reliability = s.Reliability with
        {
            RejectedWrites = s.Reliability.RejectedWrites + 1, LastFailureAt = now,
            LastFailureReason = $"database write refused ({code}): {reason}",
        };
        LogRejectedWrite(logger, HostId, code, reason);
        // A host sending a stream of bad writes must not cost a state write each: the count is persisted at most
        // once a second (and with any other write), and the directory refreshed as often.
        if (now - _lastRejectedWriteSaved < TimeSpan.FromSeconds(1)) return;
        _lastRejectedWriteSaved = now;
        await WriteStateAsync();
        if (IsLive) await PublishAsync(force: true);
    }

    private DateTimeOffset _lastRejectedWriteSaved = DateTimeOffset.MinValue;

    [LoggerMessage(EventId = 2220, Level = LogLevel.Warning, Message = "SECURITY: host {HostId} attempted a database write the proxy refused ({Code}): {Reason}")]
    private static partial void LogRejectedWrite(ILogger logger, string hostId, ClusterError code, string reason);

    public async Task<bool> ReportUnreachableAsync(int accountId, string map, long epoch)
    {
        if (accountId < 1) throw new ClusterException(ClusterError.InvalidArgument, $"account id {accountId} must be positive");
        Names.RequireMapName(map);
        if (!IsLive || !state.State.Maps.TryGetValue(map, out long held) || held != epoch)
        {
            // This host does not serve the map under that epoch; if the map still thinks it does, it moves now
            // (ignored by the map grain unless this host still holds that epoch there). Not persisted: nothing here
            // forgot the map, and the player can report again.
            if (epoch > 0) TellLosses([new HostLoss(map, epoch, RevocationReason.Reassigned)]);
            return true;
        }
        if (_suspect) return true;
        var now = time.GetUtcNow();
        foreach (var (account, at) in _unreachableReports.ToList())
            if (now - at > Options.SuspectWindow) _unreachableReports.Remove(account);
        _unreachableReports[accountId] = now;
        if (_unreachableReports.Count < Options.SuspectReports) return false;

        // Enough players cannot reach it: whatever the heartbeats say, it is no use to them. Its maps move.
        _suspect = true;
        var s = state.State;
        s.Reliability = s.Reliability with
        {
            Failures = s.Reliability.Failures + 1, LastFailureAt = now,
            LastFailureReason = $"{_unreachableReports.Count} players could not reach it within {Options.SuspectWindow.TotalSeconds:0} s",
        };
        _unreachableReports.Clear();
        await WriteStateAsync();
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.PlayerReports);
        await PublishAsync(force: true);
        ReportStatus();
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LivenessReminder) return;
        if (!IsLive && state.State.Maps.Count == 0 && state.State.Losses.Count == 0)
        {
            var reminder = await this.GetReminder(LivenessReminder);
            if (reminder is not null) await this.UnregisterReminder(reminder);
            if (state.State.LivenessReminder)
            {
                state.State.LivenessReminder = false;
                await WriteStateAsync();
            }
            return;
        }
        StartWatchdog(); // the activation itself (OnActivateAsync) started the clock
    }

    /// <summary>Checks, a few times per timeout, for silence or an expired reconnect grace.</summary>
    private async Task WatchAsync()
    {
        var now = time.GetUtcNow();
        if (_failover.WokeFromFreeze(now, WatchdogPeriod))
        {
            // This silo was frozen (SIGSTOP, a hung VM): nobody could be heard meanwhile, least of all by us. Blaming
            // the host would move its maps off it; the cluster has probably declared this silo dead and re-activated
            // the grain elsewhere already. Restart the clock instead.
            LogWokeFromFreeze(logger, HostId);
            _lastHeartbeat = now;
            if (_disconnectedAt is not null) _disconnectedAt = now;
            return;
        }
        bool inGrace = _failover.Covers(now);
        if (_disconnectedAt is { } since && now - since >= Options.ReconnectGrace && now - _lastHeartbeat >= Options.HeartbeatTimeout)
        {
            _disconnectedAt = null;
            StopGraceExpiry();
            _dead = true;
            await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
        }
        else if (IsLive && now - _lastHeartbeat >= Options.HeartbeatTimeout && !inGrace)
        {
            await DeclareDeadAsync($"no heartbeat for {(now - _lastHeartbeat).TotalMilliseconds:F0} ms");
        }
        else if (!IsLive && _disconnectedAt is null && state.State.Maps.Count > 0)
        {
            // Re-activated after a silo death with maps but no host behind them.
            if (now - _lastHeartbeat >= Options.HeartbeatTimeout && !inGrace)
            {
                _dead = true;
                await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
            }
        }
        ReportStatus();
        if (!IsLive && _disconnectedAt is null && state.State.Maps.Count == 0) StopWatchdog();
    }

    private async Task DeclareDeadAsync(string reason)
    {
        var s = state.State;
        CloseSession(failure: true, reason);
        s.Status = HostStatus.Offline;
        await WriteStateAsync();
        // A frozen host that wakes up must learn it is deposed: cut it off; it reconnects and is revoked.
        _connection?.CloseAsync(ClusterError.HostDeclaredDead, $"host {HostId} declared dead: {reason}");
        _connection = null;
        _dead = true;
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Silent);
    }

    /// <summary>Moves every map away: forgets them here first (so no call comes back), then lets each map grain re-place.</summary>
    private async Task EvacuateAsync(RevocationReason reason, FailoverCause cause)
    {
        // Out of placement first: a host that is no longer live leaves the directory (remembered for operators' list
        // with its status); a live one (draining, suspect) stays listed but no longer accepts maps.
        await PublishAsync(force: true);
        if (state.State.Maps.Count == 0) return;
        var maps = state.State.Maps.ToList();
        await ForgetAsync(maps, reason);
        metrics.FailedOver(cause, maps.Count);
        foreach (var (map, epoch) in maps) _connection?.RevokeAsync(new MapRevocation(map, epoch, reason));
        TellLosses();
        if (IsLive) await PublishAsync(force: true);
    }

    /// <summary>
    /// Forgets <paramref name="maps"/> and records, in the same write, that each map grain must be told (the
    /// <see cref="HostLossOutbox"/>): this host no longer holds them, so that message must get through even if this
    /// activation dies first. The liveness reminder is what wakes a grain whose silo died; it is registered if it was not.
    /// </summary>
    private async Task ForgetAsync(IReadOnlyCollection<KeyValuePair<string, long>> maps, RevocationReason reason)
    {
        var s = state.State;
        foreach (var (map, epoch) in maps)
        {
            s.Maps.Remove(map);
            s.MaxPlayers.Remove(map);
            s.Losses.Add(new HostLoss(map, epoch, reason));
        }
        if (!s.LivenessReminder)
        {
            await this.RegisterOrUpdateReminder(LivenessReminder, Options.ReminderPeriod, Options.ReminderPeriod);
            s.LivenessReminder = true;
        }
        await WriteStateAsync();
        StartLossTimer(); // the caller tells them at once; should it fail before, the timer's tick does
    }

    /// <summary>
    /// Starts telling the map grains of every recorded loss (and of <paramref name="transient"/>, not persisted) that
    /// this host lost them. Nothing here waits for them: a map grain may be unreachable for as long as the cluster takes
    /// to re-form, and this grain must answer heartbeats meanwhile. The loss timer retries and tidies up.
    /// </summary>
    private void TellLosses(IEnumerable<HostLoss>? transient = null)
    {
        _losses.Send(state.State.Losses);
        if (transient is not null) _losses.Send(transient, durable: false);
        if (_losses.Count > 0) StartLossTimer();
    }

    /// <summary>
    /// Ticks every <see cref="HostLossOutbox.FirstRetry"/> while a loss is in its quick retries, then every
    /// <see cref="LossSettledTick"/>: a long outage of a map grain does not cost ten turns a second per host.
    /// </summary>
    private void StartLossTimer()
    {
        var period = _losses.BackingOff || _lossTimer is null ? HostLossOutbox.FirstRetry : LossSettledTick;
        if (_lossTimer is null)
            _lossTimer = this.RegisterGrainTimer(_ => LossTickAsync(), new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        else if (period != _lossPeriod)
            _lossTimer.Change(period, period);
        _lossPeriod = period;
    }

    /// <summary>The loss timer's period once every loss waits <see cref="HostLossOutbox.MaxRetry"/> between tries.</summary>
    private static readonly TimeSpan LossSettledTick = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Sends recorded losses not sent yet, retries those due, and drops from the state those the map grains answered.
    /// A failed write keeps them (memory goes back to storage) and the next tick tries again; a resend after a restart
    /// is harmless (a map grain ignores a loss unless that host still holds that epoch there).
    /// </summary>
    private async Task LossTickAsync()
    {
        var s = state.State;
        _losses.Send(s.Losses);
        if (_losses.Collect() is { } answered)
        {
            var done = answered.ToHashSet();
            if (s.Losses.RemoveAll(done.Contains) > 0) await WriteStateAsync();
            _losses.Forget(answered);
        }
        if (_losses.Count > 0 || s.Losses.Count > 0)
        {
            StartLossTimer();
            return;
        }
        _lossTimer?.Dispose();
        _lossTimer = null;
    }

    private async Task TrackOverloadAsync(DateTimeOffset now)
    {
        var capacity = state.State.Capacity;
        bool over = PlacementScorer.IsOverloaded(_load, capacity);
        bool clear = !PlacementScorer.IsOverloaded(_load, capacity, Options.RecoveryMarginPercent);
        if (over)
        {
            _overloadedSince ??= now;
            _overloaded = true;
        }
        else if (clear)
        {
            _overloadedSince = null;
            _overloaded = false;
        }

        if (_overloadedSince is { } since && now - since >= Options.OverloadWindow && now - _lastShed >= Options.RebalanceCooldown
            && state.State.Maps.Count > 0)
        {
            _lastShed = now;
            _overloadedSince = now; // another window before any further shed
            // Shed the most recently assigned map: the least settled one.
            var (map, epoch) = state.State.Maps.MaxBy(m => m.Value);
            await ForgetAsync([new(map, epoch)], RevocationReason.Rebalanced);
            _connection?.RevokeAsync(new MapRevocation(map, epoch, RevocationReason.Rebalanced));
            metrics.FailedOver(FailoverCause.Overload, 1);
            metrics.Rebalanced();
            await PublishAsync(force: true);
            TellLosses();
        }
    }

    /// <summary>Refreshes this host's directory entry: always on a change of status, else at most every refresh period.</summary>
    private async Task PublishAsync(bool force)
    {
        var now = time.GetUtcNow();
        if (!force && now - _lastDirectoryUpdate < Options.DirectoryRefresh) return;
        _lastDirectoryUpdate = now;
        var s = state.State;
        var uptime = s.OnlineSince is { } online ? now - online : TimeSpan.Zero;
        var candidate = new HostCandidate(HostId, s.Kind, s.Endpoint ?? "", s.Capacity, _load, s.Maps.Count,
            PlacementScorer.Reliability(s.Reliability, uptime), Accepting: s.Status == HostStatus.Online && !_overloaded && !_suspect,
            LatencyMs: _latencyMs, Status: s.Status, Approved: s.Approved);
        if (!IsLive || s.Endpoint is null)
        {
            await Directory.LeftAsync(candidate with { Load = HostLoad.Idle, Accepting = false, Status = IsLive ? HostStatus.Offline : s.Status });
            return;
        }
        await Directory.UpsertAsync(candidate);
    }

    /// <summary>
    /// Writes the state; if the write fails, memory goes back to what storage holds (STYLE.md: state changed before a
    /// write that can fail). Otherwise a change re-sent after a failed write (a capacity, a map) would look already
    /// applied and never be stored. Changes kept in memory between writes on purpose (reliability counters) are lost
    /// with it, as they would be with the silo.
    /// </summary>
    private async Task WriteStateAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = _durable.Copy();
            throw;
        }
        _durable = state.State.Copy();
    }

    private TimeSpan WatchdogPeriod => TimeSpan.FromMilliseconds(Math.Clamp(Options.HeartbeatTimeout.TotalMilliseconds / 6, 50, 1000));

    private void StartWatchdog()
    {
        if (_watchdog is not null) return;
        _watchdog = this.RegisterGrainTimer(_ => WatchAsync(), new GrainTimerCreationOptions(WatchdogPeriod, WatchdogPeriod) { KeepAlive = true });
    }

    [LoggerMessage(EventId = 2231, Level = LogLevel.Information,
        Message = "Host {HostId}: an older gateway session ended after the host had registered through another; it stays connected")]
    private static partial void LogStaleDisconnect(ILogger logger, string hostId);

    [LoggerMessage(EventId = 2230, Level = LogLevel.Warning,
        Message = "Host {HostId}'s watchdog woke after a freeze of this silo; the host gets a fresh heartbeat timeout instead of the blame")]
    private static partial void LogWokeFromFreeze(ILogger logger, string hostId);

    private void StopWatchdog()
    {
        _watchdog?.Dispose();
        _watchdog = null;
    }

    /// <summary>
    /// One check exactly when the reconnect grace (and the host's lease) runs out. The watchdog alone would notice up to one of its periods
    /// late (a sixth of the heartbeat timeout: 500 ms by default, as long as the default grace itself).
    /// </summary>
    private void StartGraceExpiry()
    {
        StopGraceExpiry();
        var since = _disconnectedAt;
        // Not before the host's lease has surely run out either: it may still be serving on its last acknowledged
        // heartbeat, and a map must never be served by two hosts at once (docs/placement.md, "Leases").
        var leaseOver = _lastHeartbeat + Options.HeartbeatTimeout - time.GetUtcNow();
        var due = leaseOver > Options.ReconnectGrace ? leaseOver : Options.ReconnectGrace;
        if (due > MaxTimerDue) due = MaxTimerDue;
        _graceExpiry = this.RegisterGrainTimer(_ => OnGraceExpiredAsync(since),
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>The longest due time a grain timer accepts (about 49 days).</summary>
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>
    /// The grace of the disconnect at <paramref name="since"/> is over. No clock comparison here: a timer may fire a
    /// little early, and the maps would then wait for the next watchdog tick.
    /// </summary>
    private async Task OnGraceExpiredAsync(DateTimeOffset? since)
    {
        if (_disconnectedAt is null || _disconnectedAt != since) return; // reconnected, or already evacuated
        _disconnectedAt = null;
        StopGraceExpiry();
        _dead = true;
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
        ReportStatus();
    }

    private void StopGraceExpiry()
    {
        _graceExpiry?.Dispose();
        _graceExpiry = null;
    }

    private void CloseSession(bool failure, string? reason)
    {
        var s = state.State;
        var now = time.GetUtcNow();
        var r = s.Reliability;
        if (s.OnlineSince is { } since)
            r = r with { TotalUptime = r.TotalUptime + (now - since) };
        if (failure)
            r = r with { Failures = r.Failures + 1, LastFailureAt = now, LastFailureReason = reason };
        s.Reliability = r;
        s.OnlineSince = null;
    }

    /// <summary>Tells the cluster-state grain this host's status if it changed (HostStatusReporter); never waits.</summary>
    private void ReportStatus()
    {
        var now = time.GetUtcNow();
        bool late = IsLive && now - _lastHeartbeat > Options.HeartbeatTimeout / 2;
        _status.Report(GrainFactory, HostId, state.State.Kind,
            HostStatusReporter.Of(state.State.Status, _suspect || late, _disconnectedAt is not null, _dead), now);
    }

    private HostInfo Snapshot()
    {
        var s = state.State;
        return new HostInfo(HostId, s.PublicKey?.ToArray(), s.Kind, s.Status, s.Endpoint,
            new Dictionary<string, long>(s.Maps, StringComparer.Ordinal), s.Reliability, s.OnlineSince,
            s.Approved, s.Draining, s.Capacity, IsLive ? new Dictionary<string, int>(_mapPlayers, StringComparer.Ordinal) : null);
    }
}
