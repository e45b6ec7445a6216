using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Owns one map's policy and its fenced assignment.</summary>
public sealed class MapGrain(
    [PersistentState("map", StorageNames.State)] IPersistentState<MapState> state,
    TimeProvider time) : Grain, IMapGrain
{
    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Names.RequireMapName(Name);
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

        state.State.Policy = policy;
        await state.WriteStateAsync();
    }

    public async Task<MapAssignment> AssignAsync(string hostId, HostKind kind, string endpoint)
    {
        Names.RequireHostId(hostId);
        Names.RequireEndpoint(endpoint);
        if (state.State.Status == MapStatus.Disabled)
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} is disabled");
        if (!state.State.Policy.Allows(kind))
            throw new ClusterException(ClusterError.PolicyViolation, $"map {Name} may not run on a {kind} host");

        var assignment = new MapAssignment(Name, hostId, kind, endpoint, state.State.Epoch + 1, time.GetUtcNow());
        var previous = (state.State.Assignment, state.State.Status, state.State.Epoch);
        state.State.Assignment = assignment;
        state.State.Status = MapStatus.Assigned;
        state.State.Epoch = assignment.Epoch;
        try
        {
            // The epoch must be durable before any host hears of it, or a silo death could hand it out twice.
            await state.WriteStateAsync();
        }
        catch
        {
            (state.State.Assignment, state.State.Status, state.State.Epoch) = previous;
            throw;
        }
        return assignment;
    }

    public Task CheckEpochAsync(string hostId, long epoch)
    {
        RequireCurrent(hostId, epoch);
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string hostId, long epoch)
    {
        RequireCurrent(hostId, epoch);
        state.State.Assignment = null;
        state.State.Status = MapStatus.Unassigned;
        await state.WriteStateAsync();
    }

    public async Task SetDisabledAsync(bool disabled)
    {
        var status = disabled ? MapStatus.Disabled : MapStatus.Unassigned;
        if (state.State.Status == status || (!disabled && state.State.Status == MapStatus.Assigned)) return;
        state.State.Assignment = null;
        state.State.Status = status;
        await state.WriteStateAsync();
    }

    private void RequireCurrent(string hostId, long epoch)
    {
        if (state.State.Assignment is not { } current || current.HostId != hostId || current.Epoch != epoch)
            throw new ClusterException(ClusterError.StaleEpoch,
                $"host {hostId} does not hold map {Name} at epoch {epoch} (current: {Describe(state.State.Assignment)})");
    }

    private static string Describe(MapAssignment? a) => a is null ? "unassigned" : $"{a.HostId} at epoch {a.Epoch}";

    private MapInfo Snapshot() => new(Name, state.State.Policy, state.State.Status, state.State.Assignment, state.State.Epoch);
}
