using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// Owns one host node: identity, status, the maps it holds with their epochs (<see cref="EpochLedger"/>), its
/// reliability record — persisted — and, in memory, its live connection and load. Its parts: liveness
/// (<see cref="HostLiveness"/>: declares the host dead on silence or a lost connection), overload
/// (<see cref="OverloadTracker"/>: sheds a map), players' reports (<see cref="PlayerReports"/>), and two outboxes that
/// no turn waits on: instance states to map grains (<see cref="InstanceStateOutbox"/>) and lost maps
/// (<see cref="HostLossDelivery"/>). It activates on the silo whose gateway holds the host's connection (heartbeats
/// stay in-process); if that silo dies with the host, the liveness reminder brings it back on a survivor.
/// </summary>
/// <remarks>
/// Not reentrant: the host↔map call cycle cannot deadlock because only map grains wait on host grains
/// (<see cref="AddMapAsync"/>, <see cref="RemoveMapAsync"/>); this grain never waits on a map grain — it tells them
/// through its outboxes, whose calls run after the turn that started them.
/// </remarks>
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
    private DateTimeOffset _lastDirectoryUpdate = DateTimeOffset.MinValue;
    private DateTimeOffset _lastRejectedWriteSaved = DateTimeOffset.MinValue;
    private HostState _durable = new(); // a copy of what storage holds: memory goes back to it when a write fails
    private readonly Dictionary<string, int> _mapPlayers = new(StringComparer.Ordinal); // what operators see (never written)
    private readonly InstanceStateAudit _audit = new();
    private readonly HostStatusReporter _status = new();
    private readonly OverloadTracker _overload = new();
    private readonly PlayerReports _players = new();
    private HostLiveness _liveness = null!;
    private EpochLedger _maps = null!;
    private InstanceStateOutbox _instanceStates = null!;
    private HostLossDelivery _losses = null!;

    private DistributionOptions Options => options.Value;
    private string HostId => this.GetPrimaryKeyString();
    private IHostDirectoryGrain Directory => GrainFactory.GetGrain<IHostDirectoryGrain>(0);
    private bool IsLive => state.State.Status is HostStatus.Online or HostStatus.Draining;
    private TimeSpan WatchdogPeriod => TimeSpan.FromMilliseconds(Math.Clamp(Options.HeartbeatTimeout.TotalMilliseconds / 6, 50, 1000));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durable = state.State.Copy();
        Names.RequireHostId(HostId);
        var now = time.GetUtcNow();
        _liveness = new HostLiveness(Timer);
        _maps = new EpochLedger(() => state.State);
        _instanceStates = new InstanceStateOutbox(HostId, now.UtcTicks,
            (map, r) => GrainFactory.GetGrain<IMapGrain>(map).InstanceStateAsync(HostId, r.Epoch, r.State, r.Port, r.Sequence), time, logger);
        var outbox = new HostLossOutbox(HostId, loss => GrainFactory.GetGrain<IMapGrain>(loss.Map).HostLostAsync(HostId, loss.Epoch, loss.Reason), time, logger);
        _losses = new HostLossDelivery(outbox, () => state.State, WriteStateAsync, Timer);
        _losses.Tell(); // left by an activation that died before every map grain confirmed
        bool owesGrace = IsLive || _maps.Count > 0;
        _liveness.Activated(now, owesGrace, Options.FailoverGrace);
        if (owesGrace) _liveness.StartWatchdog(WatchAsync, WatchdogPeriod);
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

        // Written only if something changed: a host reconnecting after a silo restart finds itself Online already, and a
        // reconnect storm must not cost a write per host. The first registration of an activation is always written: it
        // moves the stored ETag on, so an older activation left on a frozen silo fails any write it attempts on waking.
        var status = s.Draining ? HostStatus.Draining : HostStatus.Online;
        bool changed = s.PublicKey is null || s.Kind != registration.Kind || s.Endpoint != registration.Endpoint
            || s.OnlineSince is null || s.Status != status || !s.LivenessReminder || !_liveness.Registered;
        s.PublicKey ??= registration.PublicKey.ToArray();
        (s.Kind, s.Endpoint, s.Status) = (registration.Kind, registration.Endpoint, status);
        if (s.OnlineSince is null)
        {
            s.OnlineSince = time.GetUtcNow();
            s.Reliability = s.Reliability with { Sessions = s.Reliability.Sessions + 1 };
        }
        if (registration.Connection != _session)
        {
            // Through another gateway session: the older session's observer no longer reaches the agent.
            _session = registration.Connection;
            _connection = null;
        }
        _players.Reset(); // a fresh connection gets a fresh chance
        _audit.ForgetAll();
        _liveness.Connecting(time.GetUtcNow());
        if (!s.LivenessReminder)
        {
            await this.RegisterOrUpdateReminder(LivenessReminder, Options.ReminderPeriod, Options.ReminderPeriod);
            s.LivenessReminder = true;
        }
        if (changed) await WriteStateAsync();
        _liveness.Connected();
        _liveness.StartWatchdog(WatchAsync, WatchdogPeriod);
        await PublishAsync(force: true);
        _liveness.Dead = false;
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
        if (!IsLive) return; // already declared dead (or never connected): nothing more to count
        var s = state.State;
        s.CloseSession(time.GetUtcNow(), failure, reason);
        if (s.Status != HostStatus.Banned) s.Status = HostStatus.Offline;
        if (failure)
        {
            // A dropped connection may come back; the maps move if it does not within the grace.
            _liveness.Disconnected(time.GetUtcNow(), Options.HeartbeatTimeout, Options.ReconnectGrace, OnGraceExpiredAsync);
            await WriteStateAsync();
            await Directory.RemoveAsync(HostId);
            ReportStatus();
            return;
        }
        await WriteStateAsync();
        _liveness.Dead = false;
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead); // it left with maps: for them, it is gone
        ReportStatus();
    }

    public async Task AddMapAsync(string map, long epoch, int maxPlayers = 100)
    {
        Names.RequireMapName(map);
        if (epoch < 1) throw new ClusterException(ClusterError.InvalidArgument, $"epoch {epoch} must be positive");
        if (!_maps.Add(map, epoch, maxPlayers)) return;
        await WriteStateAsync();
        _connection?.AssignAsync(new MapOrder(map, epoch, maxPlayers));
        if (!IsLive && _liveness.DisconnectedAt is null)
        {
            // Placed on a host that has since gone: hand the map straight back, through the outbox (the map grain is
            // waiting on this call) and retried: this host has forgotten the map, so nobody else would move it.
            await ForgetAsync([new(map, epoch)], RevocationReason.Reassigned);
            metrics.FailedOver(FailoverCause.Dead, 1);
            _losses.Tell();
        }
    }

    public async Task RemoveMapAsync(string map, long epoch, RevocationReason reason = RevocationReason.Reassigned)
    {
        Names.RequireMapName(map);
        if (_maps.Remove(map, epoch) is not { } held) return;
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
        _liveness.Heartbeat(now);
        _load = heartbeat.Load;
        _mapPlayers.Clear();
        foreach (var report in heartbeat.Maps) if (report.Players > 0) _mapPlayers[report.Map] = report.Players;

        // A map the host does not run must not send players to a closed port: its map grain hears Stopped until the
        // instance reports again.
        var reply = _maps.Fence(heartbeat.Maps, _audit, now, (map, epoch) =>
        {
            if (_audit.Last(map, epoch) is not MapInstanceState.Stopped) RecordInstanceState(map, epoch, MapInstanceState.Stopped, 0);
        });
        _instanceStates.ResendDue(state.State.Maps, now);
        if (_overload.Observe(_load, state.State.Capacity, _maps.Count > 0, now, Options)) await ShedAsync();
        await PublishAsync(force: false);
        return reply;
    }

    public async Task<MapRevocation?> MapStateAsync(string map, long epoch, MapInstanceState instanceState, int port)
    {
        Names.RequireMapName(map);
        if (!_maps.Holds(map, epoch))
            return instanceState == MapInstanceState.Stopped ? null : new MapRevocation(map, epoch, RevocationReason.StaleEpoch);
        if (instanceState == MapInstanceState.Failed)
        {
            // The host cannot run it (no free port, the command keeps failing, over max_maps): place it elsewhere.
            await ForgetAsync([new(map, epoch)], RevocationReason.Reassigned);
            await PublishAsync(force: true);
            _losses.Tell();
            return null;
        }
        // Not awaited (InstanceStateOutbox): this grain's own record of the epoch is what fences the report.
        RecordInstanceState(map, epoch, instanceState, port);
        return null;
    }

    private void RecordInstanceState(string map, long epoch, MapInstanceState instanceState, int port)
    {
        _audit.Heard(map, epoch, instanceState);
        _instanceStates.Send(map, epoch, instanceState, port);
    }

    public async Task SetApprovedAsync(bool approved)
    {
        if (state.State.Approved == approved) return;
        state.State.Approved = approved;
        await WriteStateAsync();
        await PublishAsync(force: true); // operators' host list shows the approval
        if (!approved && Options.RequireApproval && IsLive)
            await CutOffAsync(HostStatus.Offline, ClusterError.HostNotApproved, $"host {HostId} is no longer approved");
    }

    public async Task SetBannedAsync(bool banned)
    {
        if (banned == (state.State.Status == HostStatus.Banned)) return;
        if (banned)
        {
            await CutOffAsync(HostStatus.Banned, ClusterError.HostBanned, $"host {HostId} is banned");
            return;
        }
        state.State.Status = HostStatus.Offline;
        await WriteStateAsync();
        await PublishAsync(force: true); // listed as offline again
        ReportStatus();
    }

    /// <summary>An operator's decision ends the host's session: it is closed, and its maps move.</summary>
    private async Task CutOffAsync(HostStatus status, ClusterError code, string message)
    {
        state.State.CloseSession(time.GetUtcNow(), failure: false, reason: null);
        state.State.Status = status;
        await WriteStateAsync();
        _connection?.CloseAsync(code, message);
        _connection = null;
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Operator);
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
        if (IsLive && roundTripMs is >= 0 and <= 60_000) _players.RoundTrip(roundTripMs);
        return Task.CompletedTask;
    }

    public async Task ReportRejectedWriteAsync(ClusterError code, string reason)
    {
        tallies.CountRefusedWrite(HostId);
        var now = time.GetUtcNow();
        state.State.CountRejectedWrite(now, $"database write refused ({code}): {reason}");
        LogRejectedWrite(logger, HostId, code, reason);
        // A host sending a stream of bad writes must not cost a state write each: the count is persisted at most
        // once a second (and with any other write), and the directory refreshed as often.
        if (now - _lastRejectedWriteSaved < TimeSpan.FromSeconds(1)) return;
        _lastRejectedWriteSaved = now;
        await WriteStateAsync();
        if (IsLive) await PublishAsync(force: true);
    }

    public async Task<bool> ReportUnreachableAsync(int accountId, string map, long epoch)
    {
        if (accountId < 1) throw new ClusterException(ClusterError.InvalidArgument, $"account id {accountId} must be positive");
        Names.RequireMapName(map);
        if (!IsLive || !_maps.Holds(map, epoch))
        {
            // This host does not serve the map under that epoch; if the map still thinks it does, it moves now
            // (ignored by the map grain unless this host still holds that epoch there). Not persisted: nothing here
            // forgot the map, and the player can report again.
            if (epoch > 0) _losses.Tell([new HostLoss(map, epoch, RevocationReason.Reassigned)]);
            return true;
        }
        if (_players.Suspect) return true;
        var now = time.GetUtcNow();
        if (_players.Unreachable(accountId, now, Options.SuspectWindow, Options.SuspectReports) is not { } players) return false;

        // Enough players cannot reach it: whatever the heartbeats say, it is no use to them. Its maps move.
        state.State.CountFailure(now, $"{players} players could not reach it within {Options.SuspectWindow.TotalSeconds:0} s");
        await WriteStateAsync();
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.PlayerReports);
        await PublishAsync(force: true);
        ReportStatus();
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LivenessReminder) return;
        if (!IsLive && _maps.Count == 0 && state.State.Losses.Count == 0)
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
        _liveness.StartWatchdog(WatchAsync, WatchdogPeriod); // the activation itself (OnActivateAsync) started the clock
    }

    /// <summary>The watchdog's tick, a few times per heartbeat timeout: silence, or a reconnect grace that ran out.</summary>
    private async Task WatchAsync()
    {
        var now = time.GetUtcNow();
        switch (_liveness.Check(now, IsLive, _maps.Count > 0, WatchdogPeriod, Options.HeartbeatTimeout, Options.ReconnectGrace))
        {
            case LivenessVerdict.WokeFromFreeze:
                LogWokeFromFreeze(logger, HostId);
                return;
            case LivenessVerdict.Gone:
                await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
                break;
            case LivenessVerdict.Silent:
                await DeclareDeadAsync($"no heartbeat for {(now - _liveness.LastHeartbeat).TotalMilliseconds:F0} ms");
                break;
        }
        ReportStatus();
        if (_liveness.Idle(IsLive, _maps.Count > 0)) _liveness.StopWatchdog();
    }

    /// <summary>The reconnect grace of the disconnect at <paramref name="since"/> ran out (<see cref="HostLiveness.Disconnected"/>).</summary>
    private async Task OnGraceExpiredAsync(DateTimeOffset? since)
    {
        if (!_liveness.GraceExpired(since)) return; // reconnected, or already evacuated
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Dead);
        ReportStatus();
    }

    private async Task DeclareDeadAsync(string reason)
    {
        state.State.CloseSession(time.GetUtcNow(), failure: true, reason);
        state.State.Status = HostStatus.Offline;
        await WriteStateAsync();
        // A frozen host that wakes up must learn it is deposed: cut it off; it reconnects and is revoked.
        _connection?.CloseAsync(ClusterError.HostDeclaredDead, $"host {HostId} declared dead: {reason}");
        _connection = null;
        _liveness.Dead = true;
        await EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Silent);
    }

    /// <summary>Sheds the most recently assigned map (the least settled one) of a host that stayed overloaded.</summary>
    private async Task ShedAsync()
    {
        var (map, epoch) = _maps.Newest();
        await ForgetAsync([new(map, epoch)], RevocationReason.Rebalanced);
        _connection?.RevokeAsync(new MapRevocation(map, epoch, RevocationReason.Rebalanced));
        metrics.FailedOver(FailoverCause.Overload, 1);
        metrics.Rebalanced();
        await PublishAsync(force: true);
        _losses.Tell();
    }

    /// <summary>Moves every map away: forgets them here first (so no call comes back), then lets each map grain re-place.</summary>
    private async Task EvacuateAsync(RevocationReason reason, FailoverCause cause)
    {
        // Out of placement first: a host that is no longer live leaves the directory (remembered for operators' list
        // with its status); a live one (draining, suspect) stays listed but no longer accepts maps.
        await PublishAsync(force: true);
        if (_maps.Count == 0) return;
        var maps = state.State.Maps.ToList();
        await ForgetAsync(maps, reason);
        metrics.FailedOver(cause, maps.Count);
        foreach (var (map, epoch) in maps) _connection?.RevokeAsync(new MapRevocation(map, epoch, reason));
        _losses.Tell();
        if (IsLive) await PublishAsync(force: true);
    }

    /// <summary>
    /// Forgets <paramref name="maps"/> and records, in the same write, that each map grain must be told: this host no
    /// longer holds them, so that message must get through even if this activation dies first. The liveness reminder is
    /// what wakes a grain whose silo died; it is registered if it was not.
    /// </summary>
    private async Task ForgetAsync(IReadOnlyCollection<KeyValuePair<string, long>> maps, RevocationReason reason)
    {
        _maps.Forget(maps, reason);
        if (!state.State.LivenessReminder)
        {
            await this.RegisterOrUpdateReminder(LivenessReminder, Options.ReminderPeriod, Options.ReminderPeriod);
            state.State.LivenessReminder = true;
        }
        await WriteStateAsync();
        _losses.Start(); // the caller tells them at once; should it fail before, the timer's tick does
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
            PlacementScorer.Reliability(s.Reliability, uptime), Accepting: s.Status == HostStatus.Online && !_overload.Overloaded && !_players.Suspect,
            LatencyMs: _players.LatencyMs, Status: s.Status, Approved: s.Approved);
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

    /// <summary>A grain timer that keeps the activation alive while it runs (the parts' watchdog, grace and loss timers).</summary>
    private IGrainTimer Timer(Func<Task> tick, TimeSpan due, TimeSpan period) =>
        this.RegisterGrainTimer(_ => tick(), new GrainTimerCreationOptions(due, period) { KeepAlive = true });

    /// <summary>Tells the cluster-state grain this host's status if it changed (HostStatusReporter); never waits.</summary>
    private void ReportStatus()
    {
        var now = time.GetUtcNow();
        bool late = IsLive && now - _liveness.LastHeartbeat > Options.HeartbeatTimeout / 2;
        _status.Report(GrainFactory, HostId, state.State.Kind,
            HostStatusReporter.Of(state.State.Status, _players.Suspect || late, _liveness.DisconnectedAt is not null, _liveness.Dead), now);
    }

    private HostInfo Snapshot()
    {
        var s = state.State;
        return new HostInfo(HostId, s.PublicKey?.ToArray(), s.Kind, s.Status, s.Endpoint,
            new Dictionary<string, long>(s.Maps, StringComparer.Ordinal), s.Reliability, s.OnlineSince,
            s.Approved, s.Draining, s.Capacity, IsLive ? new Dictionary<string, int>(_mapPlayers, StringComparer.Ordinal) : null);
    }

    [LoggerMessage(EventId = 2220, Level = LogLevel.Warning, Message = "SECURITY: host {HostId} attempted a database write the proxy refused ({Code}): {Reason}")]
    private static partial void LogRejectedWrite(ILogger logger, string hostId, ClusterError code, string reason);

    [LoggerMessage(EventId = 2231, Level = LogLevel.Information,
        Message = "Host {HostId}: an older gateway session ended after the host had registered through another; it stays connected")]
    private static partial void LogStaleDisconnect(ILogger logger, string hostId);

    [LoggerMessage(EventId = 2230, Level = LogLevel.Warning,
        Message = "Host {HostId}'s watchdog woke after a freeze of this silo; the host gets a fresh heartbeat timeout instead of the blame")]
    private static partial void LogWokeFromFreeze(ILogger logger, string hostId);
}
