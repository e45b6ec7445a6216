using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// Owns one host node: identity, status, the maps it holds with their epochs, its reliability record — persisted — and,
/// in memory, its connection and load. Its jobs are parts it composes (docs/placement.md, "Hosts and the directory"):
/// <see cref="HostAdmission"/>, <see cref="HostLink"/>, <see cref="HostLiveness"/> and <see cref="HostFailover"/>,
/// <see cref="HostEvacuation"/>, <see cref="EpochLedger"/>, <see cref="HostOperatorActions"/>, <see cref="HostWitnesses"/>,
/// <see cref="OverloadTracker"/>, <see cref="HostView"/> (and the directory entry), <see cref="HostStatusReporter"/>,
/// <see cref="RollbackWriter{T}"/>, and two outboxes no turn waits on (<see cref="InstanceStateOutbox"/>,
/// <see cref="HostLossDelivery"/>). The grain keeps the Orleans plumbing: state, reminder, timers, grain references. It
/// activates on the silo whose gateway holds the host's connection (heartbeats stay in-process); if that silo dies with
/// the host, the liveness reminder brings it back on a survivor.
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
    private const string LivenessReminder = "liveness";

    private readonly HostLink _link = new();
    private readonly HostStatusReporter _status = new();
    private readonly OverloadTracker _overload = new();
    private readonly PlayerReports _players = new();
    private RollbackWriter<HostState> _writer = null!;
    private HostGrainContext _host = null!;
    private HostView _view = null!;
    private HostLiveness _liveness = null!;
    private EpochLedger _maps = null!;
    private HostInstances _instances = null!;
    private HostLossDelivery _losses = null!;
    private HostEvacuation _evacuation = null!;
    private HostFailover _failover = null!;
    private HostOperatorActions _operator = null!;
    private HostWitnesses _witnesses = null!;

    private DistributionOptions Options => options.Value;
    private string? _hostId; // kept: the key is decoded into a new string on every GetPrimaryKeyString
    private string HostId => _hostId ??= this.GetPrimaryKeyString();
    private IHostDirectoryGrain? _directory; // kept: GetGrain reads attributes and formats type names on every call
    private IHostDirectoryGrain Directory => _directory ??= GrainFactory.GetGrain<IHostDirectoryGrain>(0);
    private bool IsLive => _host.IsLive;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writer = new RollbackWriter<HostState>(state, static s => s.Copy());
        Names.RequireHostId(HostId);
        var now = time.GetUtcNow();
        _host = new HostGrainContext(HostId, () => state.State, WriteStateAsync, KeepReminderAsync, PublishAsync, ReportStatus, time);
        _view = new HostView(HostId, Options.DirectoryRefresh, _overload, _players);
        _liveness = new HostLiveness(Timer);
        _maps = new EpochLedger(() => state.State);
        _instances = new HostInstances(_maps, () => state.State, new InstanceStateOutbox(HostId, now.UtcTicks,
            (map, r) => GrainFactory.GetGrain<IMapGrain>(map).InstanceStateAsync(HostId, r.Epoch, r.State, r.Port, r.Sequence), time, logger));
        var outbox = new HostLossOutbox(HostId, loss => GrainFactory.GetGrain<IMapGrain>(loss.Map).HostLostAsync(HostId, loss.Epoch, loss.Reason), time, logger);
        _losses = new HostLossDelivery(outbox, () => state.State, WriteStateAsync, Timer);
        _evacuation = new HostEvacuation(_host, _maps, _link, _losses, metrics);
        _failover = new HostFailover(_host, _liveness, _link, _evacuation, Options, logger);
        _operator = new HostOperatorActions(_host, _link, _evacuation, Options.RequireApproval);
        _witnesses = new HostWitnesses(_host, _maps, _players, _losses, _evacuation, tallies, Options, logger);
        _losses.Tell(); // left by an activation that died before every map grain confirmed
        _failover.Activated(now);
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<HostInfo> GetAsync() => Task.FromResult(_view.Snapshot(state.State, IsLive));

    public async Task<HostInfo> ConnectAsync(HostRegistration registration)
    {
        var s = state.State;
        if (HostAdmission.Check(HostId, s, registration, Options.RequireApproval) is { } refused)
        {
            if (refused.Code == ClusterError.HostBanned)
            {
                ReportStatus(); // its grain may have forgotten: a banned host knocking is counted again
                throw refused;
            }
            if (HostAdmission.Pending(s, registration)) await WriteStateAsync();
            await PublishAsync(force: true); // listed (offline, not approved): an operator sees it waiting
            throw refused;
        }
        var now = time.GetUtcNow();
        bool changed = HostAdmission.Admit(s, registration, now, _liveness.Registered);
        _link.Registered(registration.Connection);
        _players.Reset(); // a fresh connection gets a fresh chance
        _instances.Reconnected();
        _liveness.Connecting(now);
        await KeepReminderAsync();
        if (changed) await WriteStateAsync();
        _liveness.Connected();
        _failover.Watch();
        await PublishAsync(force: true);
        _liveness.Dead = false;
        ReportStatus();
        return _view.Snapshot(state.State, IsLive);
    }

    public Task AttachAsync(IHostConnection connection, Guid session = default)
    {
        if (IsLive && !_link.IsStale(session)) _link.Attach(connection, session);
        return Task.CompletedTask;
    }

    public async Task DisconnectAsync(bool failure, string? reason, Guid connection = default)
    {
        if (_link.IsStale(connection))
        {
            LogStaleDisconnect(logger, HostId);
            return;
        }
        _link.Lost();
        if (!IsLive) return; // already declared dead (or never connected): nothing more to count
        if (await _failover.DisconnectedAsync(failure, reason)) await Directory.RemoveAsync(HostId);
        ReportStatus();
    }

    public async Task AddMapAsync(string map, long epoch, int maxPlayers = 100)
    {
        Names.RequireMapName(map);
        if (epoch < 1) throw new ClusterException(ClusterError.InvalidArgument, $"epoch {epoch} must be positive");
        if (!_maps.Add(map, epoch, maxPlayers)) return;
        await WriteStateAsync();
        _link.Assign(new MapOrder(map, epoch, maxPlayers));
        if (!IsLive && _liveness.DisconnectedAt is null) await _evacuation.HandBackAsync(map, epoch); // placed on a host since gone
    }

    public async Task RemoveMapAsync(string map, long epoch, RevocationReason reason = RevocationReason.Reassigned)
    {
        Names.RequireMapName(map);
        if (_maps.Remove(map, epoch) is not { } held) return;
        await WriteStateAsync();
        _link.Revoke(new MapRevocation(map, held, reason));
        // The directory counted the map when it was placed; its slot is free now, not at the next refresh (an
        // operator's next move onto this host would otherwise find it full).
        await PublishAsync(force: true);
    }

    public async Task ReportCapacityAsync(HostCapacity capacity)
    {
        HostAdmission.CheckCapacity(capacity);
        if (state.State.Capacity == capacity) return;
        state.State.Capacity = capacity;
        await WriteStateAsync();
        await PublishAsync(force: true);
    }

    public async Task<HeartbeatReply> HeartbeatAsync(HostHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (!IsLive) throw new ClusterException(ClusterError.HostDeclaredDead, $"host {HostId} is not connected; reconnect");
        await _failover.AdoptAsync();
        var now = time.GetUtcNow();
        _failover.Heard(now);
        _view.Heard(heartbeat);
        var reply = _instances.Heartbeat(heartbeat.Maps, now);
        if (_overload.Observe(_view.Load, state.State.Capacity, _maps.Count > 0, now, Options)) await _evacuation.ShedAsync();
        await PublishAsync(force: false);
        ReportStatus(); // a host reported late is back: its watchdog no longer ticks while it is heard from
        return reply;
    }

    public async Task<MapRevocation?> MapStateAsync(string map, long epoch, MapInstanceState instanceState, int port)
    {
        Names.RequireMapName(map);
        if (!_maps.Holds(map, epoch))
            return instanceState == MapInstanceState.Stopped ? null : new MapRevocation(map, epoch, RevocationReason.StaleEpoch);
        if (instanceState == MapInstanceState.Failed) await _evacuation.FailedAsync(map, epoch);
        else _instances.Record(map, epoch, instanceState, port);
        return null;
    }

    public Task SetApprovedAsync(bool approved) => _operator.SetApprovedAsync(approved);

    public Task SetBannedAsync(bool banned) => _operator.SetBannedAsync(banned);

    public Task SetDrainingAsync(bool draining) => _operator.SetDrainingAsync(draining);

    public Task ReportLatencyAsync(int roundTripMs)
    {
        _witnesses.RoundTrip(roundTripMs);
        return Task.CompletedTask;
    }

    public Task ReportRejectedWriteAsync(ClusterError code, string reason) => _witnesses.RejectedWriteAsync(code, reason);

    public Task<bool> ReportUnreachableAsync(int accountId, string map, long epoch) => _witnesses.UnreachableAsync(accountId, map, epoch);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LivenessReminder) return;
        if (!_failover.Retired)
        {
            _failover.Watch(); // the activation itself (OnActivateAsync) started the clock
            return;
        }
        var reminder = await this.GetReminder(LivenessReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        if (!state.State.LivenessReminder) return;
        state.State.LivenessReminder = false;
        await WriteStateAsync();
    }

    /// <summary>Registers the liveness reminder unless the state says it is: reminders are durable, one registration suffices.</summary>
    private async Task KeepReminderAsync()
    {
        if (state.State.LivenessReminder) return;
        await this.RegisterOrUpdateReminder(LivenessReminder, Options.ReminderPeriod, Options.ReminderPeriod);
        state.State.LivenessReminder = true;
    }

    /// <summary>Refreshes this host's directory entry: always on a change of status, else at most every refresh period.</summary>
    private Task PublishAsync(bool force) => _view.PublishAsync(Directory, state.State, IsLive, time.GetUtcNow(), force);

    /// <summary>Writes the state; memory goes back to what storage holds if the write fails (<see cref="RollbackWriter{T}"/>).</summary>
    private Task WriteStateAsync() => _writer.WriteAsync();

    /// <summary>A grain timer that keeps the activation alive while it runs (the parts' watchdog, grace and loss timers).</summary>
    private IGrainTimer Timer(Func<Task> tick, TimeSpan due, TimeSpan period) =>
        this.RegisterGrainTimer(_ => tick(), new GrainTimerCreationOptions(due, period) { KeepAlive = true });

    /// <summary>Tells the cluster-state grain this host's status if it changed (HostStatusReporter); never waits.</summary>
    private void ReportStatus()
    {
        var (s, now) = (state.State, time.GetUtcNow());
        _status.Report(GrainFactory, HostId, s.Kind, HostStatusReporter.Of(s.Status, IsLive, _liveness, _players.Suspect, Options.HeartbeatTimeout, now), now);
    }

    [LoggerMessage(EventId = 2231, Level = LogLevel.Information,
        Message = "Host {HostId}: an older gateway session ended after the host had registered through another; it stays connected")]
    private static partial void LogStaleDisconnect(ILogger logger, string hostId);
}
