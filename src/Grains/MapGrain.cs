using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// Owns one map's policy (configured and operator override, <see cref="MapPolicies"/>), its fenced assignment, its
/// placement and its placement history (<see cref="PlacementHistory"/>); carries out operators' moves and resets.
/// While it has no host (or its new host has not heard of it) a grain timer retries (<see cref="PlacementRetry"/>).
/// </summary>
/// <remarks>
/// Not reentrant, on purpose: placement reads and writes the epoch across awaits. The host↔map call cycle cannot
/// deadlock: this grain waits on host grains (AddMapAsync, RemoveMapAsync) and on the directory, but neither waits on a
/// map grain — a host grain tells map grains through outboxes started after its turn, and the directory wakes waiting
/// maps without awaiting them. Pure reads are [ReadOnly] on <see cref="IMapGrain"/> and interleave with each other only.
/// </remarks>
public sealed partial class MapGrain(
    [PersistentState("map", StorageNames.State)] IPersistentState<MapState> state,
    IOptions<DistributionOptions> options,
    DistributionMetrics metrics,
    TimeProvider time,
    ILogger<MapGrain> logger) : Grain, IMapGrain, IRemindable
{
    private const string PlacementReminder = "placement";

    private long _instanceSequence; // last instance report applied under the current epoch (see InstanceStateAsync)
    private readonly MapStateReporter _reporter = new();
    private readonly PlacementRetry _retry = new();
    private IGrainTimer? _retryTimer;

    private string? _name; // kept: the key is decoded into a new string on every GetPrimaryKeyString
    private string Name => _name ??= this.GetPrimaryKeyString();
    private IHostDirectoryGrain Directory => GrainFactory.GetGrain<IHostDirectoryGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Names.RequireMapName(Name);
        ReportState();
        // A map that had a host once and has none now lost it (its reminder woke it, or a call did): place it again. A
        // map never placed is not one to place on its own (a player or an operator naming an unknown map activates it).
        _retry.Wanted = state.State.History.Length > 0;
        WatchPlacement();
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<MapInfo> GetAsync() => Task.FromResult(Snapshot());

    /// <summary>The configured policy (MapCatalog, every start); an operator's override stays on top of it.</summary>
    public async Task SetPolicyAsync(MapPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxPlayers is < 1 or > 65535)
            throw new ClusterException(ClusterError.InvalidArgument, $"max_players {policy.MaxPlayers} is out of range 1–65535");
        if (!double.IsFinite(policy.MinScore) || policy.MinScore is < 0 or > 100)
            throw new ClusterException(ClusterError.InvalidArgument, $"min_score {policy.MinScore} is out of range 0–100");
        var over = MapPolicies.Rebase(policy, state.State.Override);
        var effective = MapPolicies.Apply(policy, over);
        if (state.State.Assignment is { } current && !effective.Allows(current.HostKind))
            throw new ClusterException(ClusterError.PolicyViolation,
                $"map {Name} is on {current.HostKind.ToString().ToLowerInvariant()} host {current.HostId}, which the new policy forbids; move it first");
        if (state.State.Configured == policy && state.State.Policy == effective && state.State.Override == over) return;
        await WriteAsync(s => (s.Configured, s.Override, s.Policy) = (policy, over, effective));
    }

    public Task CheckEpochAsync(string hostId, long epoch)
    {
        RequireCurrent(hostId, epoch);
        return Task.CompletedTask;
    }

    public async Task<AdminResult> SetDisabledAsync(bool disabled)
    {
        string action = disabled ? "disable" : "enable";
        if ((state.State.Status == MapStatus.Disabled) == disabled)
            return new AdminResult(action, Name, false, [], $"map {Name} is {(disabled ? "disabled" : "enabled")} already");
        var previous = state.State.Assignment;
        string reason = disabled ? "disabled by an operator" : "enabled by an operator";
        await WriteAsync(s =>
        {
            ClearAssignment(s);
            s.Status = disabled ? MapStatus.Disabled : MapStatus.Unassigned;
            s.History = PlacementHistory.Prepend(s.History, PlacementHistory.Unplaced(Name, s.Epoch, reason, time.GetUtcNow()));
        });
        if (disabled)
        {
            await ForgetReminderAsync();
            if (previous is null) return new AdminResult(action, Name, true, [], $"map {Name} disabled; it had no host");
            // Durable first: the old host is fenced from now on (no assignment holds its epoch) even if it never hears.
            await TellRemovedAsync(previous, RevocationReason.Disabled);
            return new AdminResult(action, Name, true, [new MapMove(Name, previous.HostId, null, null, state.State.Epoch)],
                $"map {Name} disabled: host {previous.HostId} told to stop it; players' resolves are refused until it is enabled");
        }
        MapAssignment? placed = null;
        try
        {
            placed = await PlaceAsync(excludeHost: null, reason);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
        {
            // Enabled and durable; the retry timer (set by PlaceAsync) places it.
            LogPlacementRetry(logger, Name, e is ClusterException c ? c.Code.ToString() : e.GetType().Name);
        }
        return placed is null
            ? new AdminResult(action, Name, true, [], $"map {Name} enabled; waiting for a host that qualifies")
            : new AdminResult(action, Name, true, [new MapMove(Name, null, placed.HostId, placed.HostKind, placed.Epoch)],
                $"map {Name} enabled and placed on {placed.HostKind.ToString().ToLowerInvariant()} host {placed.HostId} under epoch {placed.Epoch}");
    }

    public async Task EnsurePlacedAsync(string reason)
    {
        if (state.State.Status != MapStatus.Unassigned) return;
        await PlaceAsync(excludeHost: null, reason);
    }

    public async Task HostLostAsync(string hostId, long epoch, RevocationReason reason)
    {
        if (state.State.Assignment is not { } current || current.HostId != hostId || current.Epoch != epoch) return;
        if (await PlaceAsync(excludeHost: hostId, PlacementHistory.Lost(reason, hostId)) is not null) return;
        await WriteAsync(s =>
        {
            ClearAssignment(s);
            s.History = PlacementHistory.Prepend(s.History,
                PlacementHistory.Unplaced(Name, s.Epoch, $"{PlacementHistory.Lost(reason, hostId)}, and no other host qualified", time.GetUtcNow()));
        });
        await RememberToPlaceAsync();
    }

    public async Task<bool> InstanceStateAsync(string hostId, long epoch, MapInstanceState instanceState, int port, long sequence)
    {
        if (state.State.Assignment is not { } current || current.HostId != hostId || current.Epoch != epoch) return false;
        if (sequence <= _instanceSequence) return true; // overtaken by a later report (or a resend of one applied)
        if (state.State.InstanceState != instanceState || state.State.InstancePort != port)
        {
            await WriteAsync(s =>
            {
                s.InstanceState = instanceState;
                s.InstancePort = instanceState == MapInstanceState.Running ? port : 0;
            });
        }
        _instanceSequence = sequence; // only once applied: a resend of a report that failed to be stored is applied then
        return true;
    }

    public Task<MapDetail> GetDetailAsync() => Task.FromResult(PlacementHistory.Detail(Name, state.State));

    public async Task<AdminResult> MoveToAsync(string? toHost, string reason)
    {
        if (toHost is not null) Names.RequireHostId(toHost);
        if (state.State.Status == MapStatus.Disabled)
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} is disabled; enable it first");
        var current = state.State.Assignment;
        if (toHost is null ? current?.HostKind == HostKind.Vps : current?.HostId == toHost)
            return new AdminResult("move", Name, false, [], $"map {Name} is on {Describe(current)} already");
        PlacementDecision decision;
        if (toHost is not null)
        {
            decision = await Directory.PlaceOnAsync(Name, state.State.Policy, toHost, current?.HostId, reason);
        }
        else
        {
            var vpsOnly = state.State.Policy with { P2PAllowed = false };
            decision = await (current is null ? Directory.PlaceAsync(Name, vpsOnly, null, reason) : Directory.ReplaceAsync(Name, vpsOnly, current.HostId, false, reason))
                ?? throw new ClusterException(ClusterError.InvalidArgument, $"to: no VPS host is online with room for map {Name}");
        }
        return await RelocateAsync(current, decision, "move", reason);
    }

    public async Task<AdminResult> PatchPolicyAsync(MapPolicyPatch patch)
    {
        MapPolicies.Validate(patch);
        var s = state.State;
        var configured = s.Configured ?? s.Policy;
        var over = MapPolicies.Merge(configured, s.Override, patch);
        var effective = MapPolicies.Apply(configured, over);
        if (over == s.Override && effective == s.Policy)
            return new AdminResult("policy", Name, false, [], $"map {Name}'s policy is so already");
        await WriteAsync(st => (st.Configured, st.Override, st.Policy) = (configured, over, effective));
        if (s.Status != MapStatus.Disabled && state.State.Assignment is { } current && !effective.Allows(current.HostKind))
        {
            // The host the map is on is no longer allowed: move it now rather than refuse the operator.
            var decision = await Directory.ReplaceAsync(Name, effective, current.HostId, false, "policy changed by an operator");
            if (decision is not null)
                return (await RelocateAsync(current, decision, "policy", "policy changed by an operator")) with { Message = $"policy changed; map {Name} moved" };
            await RevokeAsync(current, "policy changed by an operator, and no host the new policy allows is available");
            return new AdminResult("policy", Name, true, [new MapMove(Name, current.HostId, null, null, state.State.Epoch)],
                $"policy changed; map {Name} left {current.HostId} and waits for a host the new policy allows");
        }
        if (state.State.Status == MapStatus.Unassigned) await PlaceAsync(excludeHost: null, "policy changed by an operator");
        return new AdminResult("policy", Name, true, [], $"map {Name}'s policy changed");
    }

    public Task<bool> IsResetAsync(long generation)
    {
        var s = state.State;
        return Task.FromResult(s.Assignment is null || (s.ResetGeneration >= generation && s.Assignment.Epoch == s.ResetEpoch));
    }

    public async Task<AdminResult> ResetAsync(long generation)
    {
        var s = state.State;
        if (s.ResetGeneration >= generation) return new AdminResult("reset", Name, false, [], $"map {Name} was reset by reset {s.ResetGeneration} already");
        if (s.Assignment is not { } current)
        {
            if (s.Status == MapStatus.Unassigned
                && await PlaceAsync(excludeHost: null, "network reset", st => (st.ResetGeneration, st.ResetEpoch) = (generation, st.Epoch)) is { } placed)
                return new AdminResult("reset", Name, true, [new MapMove(Name, null, placed.HostId, placed.HostKind, placed.Epoch)], $"map {Name} placed");
            await WriteAsync(st => st.ResetGeneration = generation);
            return new AdminResult("reset", Name, false, [], $"map {Name} had no host");
        }
        var decision = await Directory.ReplaceAsync(Name, s.Policy, current.HostId, mayStay: true, "network reset");
        if (decision is null)
        {
            await RevokeAsync(current, "network reset, and no host qualified", st => st.ResetGeneration = generation);
            return new AdminResult("reset", Name, true, [new MapMove(Name, current.HostId, null, null, state.State.Epoch)], $"map {Name} revoked; waiting for a host");
        }
        return await RelocateAsync(current, decision, "reset", "network reset",
            st => (st.ResetGeneration, st.ResetEpoch) = (generation, st.Epoch));
    }

    /// <summary>
    /// Commits <paramref name="decision"/> under a new epoch (durable first), then tells the old host to stop the map
    /// (REVOKE_MAP; the same host too, under its old epoch) and the new one to start it (ASSIGN_MAP).
    /// </summary>
    private async Task<AdminResult> RelocateAsync(MapAssignment? from, PlacementDecision decision, string action, string reason, Action<MapState>? also = null)
    {
        var assignment = await CommitAsync(decision, reason, also);
        if (from is not null) await TellRemovedAsync(from);
        await TellHostAsync(assignment);
        await ForgetReminderAsync();
        return new AdminResult(action, Name, true, [new MapMove(Name, from?.HostId, decision.HostId, decision.Kind, assignment.Epoch)],
            $"map {Name} is on {decision.Kind.ToString().ToLowerInvariant()} host {decision.HostId} under epoch {assignment.Epoch}");
    }

    /// <summary>Leaves the map without a host (the epoch moves on, so the old host is fenced) and tells the old host.</summary>
    private async Task RevokeAsync(MapAssignment from, string reason, Action<MapState>? also = null)
    {
        await WriteAsync(st =>
        {
            ClearAssignment(st);
            st.Epoch++; // whatever the old host still does under its epoch is stale from now on
            st.History = PlacementHistory.Prepend(st.History, PlacementHistory.Unplaced(Name, st.Epoch, reason, time.GetUtcNow()));
            also?.Invoke(st);
        });
        _retry.Wanted = true; // it waits for a host
        WatchPlacement();
        await TellRemovedAsync(from);
        await RememberToPlaceAsync();
    }

    private async Task TellRemovedAsync(MapAssignment from, RevocationReason reason = RevocationReason.Reassigned)
    {
        try
        {
            await GrainFactory.GetGrain<IHostGrain>(from.HostId).RemoveMapAsync(Name, from.Epoch, reason);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
        {
            // The new epoch is durable: the old host is fenced (its writes and reports are refused) even if it never hears.
            LogRevokeFailed(logger, Name, from.HostId, from.Epoch, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning,
        Message = "Map {Map}: host {HostId} could not be told to stop it (epoch {Epoch}, {Error}); the new epoch fences it")]
    private static partial void LogRevokeFailed(ILogger logger, string map, string hostId, long epoch, string error);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != PlacementReminder) return;
        if (state.State.Status == MapStatus.Unassigned) await PlaceAsync(excludeHost: null, "placement retry");
        else await ForgetReminderAsync();
    }

    /// <summary>
    /// Asks the directory for a host and commits the assignment; null when none qualifies. Whatever fails here, an
    /// unassigned map keeps its retry timer (<see cref="WatchPlacement"/>); a map still assigned (a lost host) is
    /// retried by whoever told it (the host grain's outbox).
    /// </summary>
    private async Task<MapAssignment?> PlaceAsync(string? excludeHost, string reason, Action<MapState>? also = null)
    {
        _retry.Wanted = true;
        WatchPlacement();
        var decision = await Directory.PlaceAsync(Name, state.State.Policy, excludeHost, reason);
        if (decision is null)
        {
            if (state.State.Status == MapStatus.Unassigned) await RememberToPlaceAsync();
            return null;
        }
        var assignment = await CommitAsync(decision, reason, also);
        await TellHostAsync(assignment);
        await ForgetReminderAsync();
        return assignment;
    }

    /// <summary>
    /// Tells the new host (ASSIGN_MAP through its grain), only now that the epoch is durable. Should that fail (its
    /// grain cannot write), the retry timer tells it again (<see cref="IHostGrain.AddMapAsync"/> is idempotent): nothing
    /// else would, as the host does not know the map and the map counts as placed.
    /// </summary>
    private async Task TellHostAsync(MapAssignment assignment)
    {
        _retry.Untold = assignment;
        WatchPlacement();
        await GrainFactory.GetGrain<IHostGrain>(assignment.HostId).AddMapAsync(Name, assignment.Epoch, state.State.Policy.MaxPlayers);
        if (_retry.Untold == assignment) _retry.Untold = null;
        WatchPlacement();
    }

    /// <summary>
    /// Keeps the retry timer in step with the state just stored: running while the map is unassigned and meant to be
    /// placed (<see cref="PlacementRetry.Wanted"/>) or its new host has not heard of it, stopped otherwise. It is what retries placement while this activation lives, whether or not the reminder could be
    /// registered (reminders are database writes too, and fail with it); it cannot fail itself.
    /// </summary>
    private void WatchPlacement()
    {
        if (_retry.Untold is { } untold && untold != state.State.Assignment) _retry.Untold = null; // moved on since
        if ((state.State.Status != MapStatus.Unassigned || !_retry.Wanted) && _retry.Untold is null)
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            _retry.Reset();
            return;
        }
        if (_retryTimer is not null) return;
        var first = _retry.Next(options.Value.ReminderPeriod);
        _retryTimer = this.RegisterGrainTimer(_ => RetryPlacementAsync(), new GrainTimerCreationOptions(first, first) { KeepAlive = true });
    }

    /// <summary>
    /// One retry: a host not told yet of its assignment is told; an unassigned map gets its reminder if it is not
    /// registered yet, then a placement. Backs off while it keeps failing; stops once there is nothing left to do.
    /// </summary>
    private async Task RetryPlacementAsync()
    {
        try
        {
            if (_retry.Untold is { } untold && untold == state.State.Assignment) await TellHostAsync(untold);
            if (state.State.Status == MapStatus.Unassigned)
            {
                if (!_retry.ReminderSet) await RememberToPlaceAsync();
                await PlaceAsync(excludeHost: null, "placement retry");
            }
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
        {
            LogPlacementRetry(logger, Name, e is ClusterException c ? c.Code.ToString() : e.GetType().Name);
        }
        WatchPlacement();
        if (_retryTimer is not null)
        {
            var next = _retry.Next(options.Value.ReminderPeriod);
            _retryTimer.Change(next, next);
        }
    }

    /// <summary>
    /// Registers the placement reminder, which brings an unassigned map back after its silo died. Best effort: the retry
    /// timer runs meanwhile and tries again on its next tick, so a failure here fails nothing the caller did.
    /// </summary>
    private async Task RememberToPlaceAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(PlacementReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            _retry.ReminderSet = true;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
        {
            _retry.ReminderSet = false;
            LogReminderFailed(logger, Name, "register", e is ClusterException c ? c.Code.ToString() : e.GetType().Name);
        }
    }

    /// <summary>
    /// Removes the placement reminder of a map that has a host again. Best effort, and after the host was told: a
    /// reminder left behind only ticks, finds the map assigned, and tries again.
    /// </summary>
    private async Task ForgetReminderAsync()
    {
        _retry.ReminderSet = false;
        try
        {
            if (await this.GetReminder(PlacementReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
        {
            LogReminderFailed(logger, Name, "remove", e is ClusterException c ? c.Code.ToString() : e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning,
        Message = "Map {Map}: its placement reminder could not be {Action}d ({Error}); the retry timer goes on meanwhile")]
    private static partial void LogReminderFailed(ILogger logger, string map, string action, string error);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Information, Message = "Map {Map}: placement failed ({Error}); retried")]
    private static partial void LogPlacementRetry(ILogger logger, string map, string error);

    private async Task<MapAssignment> CommitAsync(PlacementDecision decision, string reason, Action<MapState>? also = null)
    {
        var (hostId, kind, endpoint) = (decision.HostId, decision.Kind, decision.Endpoint);
        if (state.State.Status == MapStatus.Disabled)
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} is disabled");
        if (!state.State.Policy.Allows(kind))
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} may not run on a {kind} host");

        var assignment = new MapAssignment(Name, hostId, kind, endpoint, state.State.Epoch + 1, time.GetUtcNow());
        var record = PlacementHistory.Of(assignment, decision, reason);
        var before = state.State.Copy();
        long previousSequence = _instanceSequence;
        var s = state.State;
        (s.Assignment, s.Status, s.Epoch, s.Decision, s.InstanceState, s.InstancePort) =
            (assignment, MapStatus.Assigned, assignment.Epoch, decision, null, 0);
        s.History = PlacementHistory.Prepend(s.History, record);
        also?.Invoke(s);
        _instanceSequence = 0;
        try
        {
            // The epoch must be durable before any host hears of it, or a silo death could hand it out twice.
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            _instanceSequence = previousSequence;
            throw;
        }
        metrics.Placed(kind);
        ReportState();
        WatchPlacement();
        Directory.RecordAsync(record).Ignore();
        return assignment;
    }

    /// <summary>Applies <paramref name="change"/> and writes the state; memory is as before if the write fails.</summary>
    private async Task WriteAsync(Action<MapState> change)
    {
        var before = state.State.Copy();
        change(state.State);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }
        ReportState();
        WatchPlacement();
    }

    /// <summary>Tells the cluster-state grain this map's state if it changed (MapStateReporter), and the calls waiting for the map to land; never waits.</summary>
    private void ReportState()
    {
        var s = state.State;
        _reporter.Report(GrainFactory, Name, MapStateReporter.Of(s.Status, s.Assignment, s.InstanceState), time.GetUtcNow());
        _landings.Changed(s);
    }

    private static void ClearAssignment(MapState s)
    {
        (s.Assignment, s.Decision, s.InstanceState, s.InstancePort) = (null, null, null, 0);
        if (s.Status == MapStatus.Assigned) s.Status = MapStatus.Unassigned;
    }

    private void RequireCurrent(string hostId, long epoch)
    {
        if (state.State.Assignment is not { } current || current.HostId != hostId || current.Epoch != epoch)
            throw new ClusterException(ClusterError.StaleEpoch,
                $"host {hostId} does not hold map {Name} at epoch {epoch} (current: {Describe(state.State.Assignment)})");
    }

    private static string Describe(MapAssignment? a) => a is null ? "unassigned" : $"{a.HostId} at epoch {a.Epoch}";

    private MapInfo Snapshot()
    {
        var s = state.State;
        return new MapInfo(Name, s.Policy, s.Status, s.Assignment, s.Epoch, s.Decision, s.InstanceState, s.InstancePort);
    }
}
