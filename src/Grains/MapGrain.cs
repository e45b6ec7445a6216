using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Owns one map's policy, its fenced assignment and its placement.</summary>
public sealed class MapGrain(
    [PersistentState("map", StorageNames.State)] IPersistentState<MapState> state,
    IOptions<DistributionOptions> options,
    DistributionMetrics metrics,
    TimeProvider time) : Grain, IMapGrain, IRemindable
{
    private const string PlacementReminder = "placement";

    private long _instanceSequence; // last instance report applied under the current epoch (see InstanceStateAsync)
    private readonly MapStateReporter _reporter = new();

    private string Name => this.GetPrimaryKeyString();
    private IHostDirectoryGrain Directory => GrainFactory.GetGrain<IHostDirectoryGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Names.RequireMapName(Name);
        ReportState();
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<MapInfo> GetAsync() => Task.FromResult(Snapshot());

    public async Task SetPolicyAsync(MapPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxPlayers is < 1 or > 65535)
            throw new ClusterException(ClusterError.InvalidArgument, $"max_players {policy.MaxPlayers} is out of range 1–65535");
        if (!double.IsFinite(policy.MinScore) || policy.MinScore is < 0 or > 100)
            throw new ClusterException(ClusterError.InvalidArgument, $"min_score {policy.MinScore} is out of range 0–100");
        if (state.State.Assignment is { } current && !policy.Allows(current.HostKind))
            throw new ClusterException(ClusterError.PolicyViolation,
                $"map {Name} is on {current.HostKind} host {current.HostId}, which the new policy forbids; move it first");
        if (state.State.Policy == policy) return;
        await WriteAsync(s => s.Policy = policy);
    }

    public async Task<MapAssignment> AssignAsync(string hostId, HostKind kind, string endpoint)
    {
        Names.RequireHostId(hostId);
        Names.RequireEndpoint(endpoint);
        return await CommitAsync(hostId, kind, endpoint, decision: null);
    }

    public Task CheckEpochAsync(string hostId, long epoch)
    {
        RequireCurrent(hostId, epoch);
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string hostId, long epoch)
    {
        RequireCurrent(hostId, epoch);
        await WriteAsync(ClearAssignment);
    }

    public async Task SetDisabledAsync(bool disabled)
    {
        var status = disabled ? MapStatus.Disabled : MapStatus.Unassigned;
        if (state.State.Status == status || (!disabled && state.State.Status == MapStatus.Assigned)) return;
        var previous = state.State.Assignment;
        await WriteAsync(s =>
        {
            ClearAssignment(s);
            s.Status = status;
        });
        if (previous is not null)
            await GrainFactory.GetGrain<IHostGrain>(previous.HostId).RemoveMapAsync(Name, previous.Epoch, RevocationReason.Disabled);
        if (!disabled) await EnsurePlacedAsync("enabled");
    }

    public async Task EnsurePlacedAsync(string reason)
    {
        if (state.State.Status != MapStatus.Unassigned) return;
        await PlaceAsync(excludeHost: null, reason);
    }

    public async Task HostLostAsync(string hostId, long epoch, RevocationReason reason)
    {
        if (state.State.Assignment is not { } current || current.HostId != hostId || current.Epoch != epoch) return;
        if (await PlaceAsync(excludeHost: hostId, $"{reason} from {hostId}") is null)
            await WriteAsync(ClearAssignment);
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

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != PlacementReminder) return;
        if (state.State.Status == MapStatus.Unassigned) await PlaceAsync(excludeHost: null, "placement retry");
        else await StopRetryingAsync();
    }

    /// <summary>Asks the directory for a host and commits the assignment; null (and a retry reminder) when none qualifies.</summary>
    private async Task<MapAssignment?> PlaceAsync(string? excludeHost, string reason)
    {
        PlacementDecision? decision;
        try
        {
            decision = await Directory.PlaceAsync(Name, state.State.Policy, excludeHost, reason);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The directory did not answer (a silo starting or dying): the reminder retries, or the map would stay
            // unassigned with nothing left to wake it.
            await this.RegisterOrUpdateReminder(PlacementReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            throw;
        }
        if (decision is null)
        {
            await this.RegisterOrUpdateReminder(PlacementReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            return null;
        }
        var assignment = await CommitAsync(decision.HostId, decision.Kind, decision.Endpoint, decision);
        await StopRetryingAsync();
        // The new epoch is durable; only now may the host hear of it.
        await GrainFactory.GetGrain<IHostGrain>(decision.HostId).AddMapAsync(Name, assignment.Epoch, state.State.Policy.MaxPlayers);
        return assignment;
    }

    private async Task<MapAssignment> CommitAsync(string hostId, HostKind kind, string endpoint, PlacementDecision? decision)
    {
        if (state.State.Status == MapStatus.Disabled)
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} is disabled");
        if (!state.State.Policy.Allows(kind))
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} may not run on a {kind} host");

        var assignment = new MapAssignment(Name, hostId, kind, endpoint, state.State.Epoch + 1, time.GetUtcNow());
        var s = state.State;
        var previous = (s.Assignment, s.Status, s.Epoch, s.Decision, s.InstanceState, s.InstancePort);
        long previousSequence = _instanceSequence;
        (s.Assignment, s.Status, s.Epoch, s.Decision, s.InstanceState, s.InstancePort) =
            (assignment, MapStatus.Assigned, assignment.Epoch, decision, null, 0);
        _instanceSequence = 0;
        try
        {
            // The epoch must be durable before any host hears of it, or a silo death could hand it out twice.
            await state.WriteStateAsync();
        }
        catch
        {
            (s.Assignment, s.Status, s.Epoch, s.Decision, s.InstanceState, s.InstancePort) = previous;
            _instanceSequence = previousSequence;
            throw;
        }
        metrics.Placed(kind);
        ReportState();
        return assignment;
    }

    private async Task StopRetryingAsync()
    {
        var reminder = await this.GetReminder(PlacementReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
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
    }

    /// <summary>Tells the cluster-state grain this map's state if it changed (MapStateReporter); never waits.</summary>
    private void ReportState()
    {
        var s = state.State;
        _reporter.Report(GrainFactory, Name, MapStateReporter.Of(s.Status, s.Assignment, s.InstanceState), time.GetUtcNow());
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
