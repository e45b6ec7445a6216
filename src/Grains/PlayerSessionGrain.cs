using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Tracks one character through resolving, playing on a map, moving between hosts, and logging out.</summary>
public sealed class PlayerSessionGrain(
    [PersistentState("session", StorageNames.State)] IPersistentState<PlayerSessionState> state,
    TimeProvider time) : Grain, IPlayerSessionGrain
{
    private int CharId => (int)this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        long key = this.GetPrimaryKeyLong();
        if (key is < 1 or > int.MaxValue)
            throw new ClusterException(ClusterError.InvalidArgument, $"char id {key} is out of range 1–{int.MaxValue}");
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<SessionInfo> GetAsync() => Task.FromResult(Snapshot());

    public async Task<SessionInfo> BeginResolveAsync(int accountId, string map)
    {
        if (accountId < 1) throw new ClusterException(ClusterError.InvalidArgument, $"account id {accountId} must be positive");
        Names.RequireMapName(map);
        var s = state.State;
        if (s.AccountId != 0 && s.AccountId != accountId)
            throw new ClusterException(ClusterError.IdentityMismatch, $"char {CharId} does not belong to account {accountId}");
        Require(s.State is SessionState.Offline or SessionState.Resolving, "begin resolving");

        s.AccountId = accountId;
        s.State = SessionState.Resolving;
        s.TargetMap = map;
        return await SaveAsync();
    }

    public async Task<SessionInfo> EnterMapAsync(string map, string hostId, long epoch)
    {
        Names.RequireMapName(map);
        Names.RequireHostId(hostId);
        if (epoch < 1) throw new ClusterException(ClusterError.InvalidArgument, $"epoch {epoch} must be positive");
        var s = state.State;
        Require(s.State is SessionState.Resolving or SessionState.Moving && s.TargetMap == map, $"enter map {map}");

        s.State = SessionState.OnMap;
        s.Map = map;
        s.HostId = hostId;
        s.Epoch = epoch;
        s.TargetMap = null;
        return await SaveAsync();
    }

    public async Task<SessionInfo> BeginMoveAsync(string targetMap)
    {
        Names.RequireMapName(targetMap);
        var s = state.State;
        Require(s.State == SessionState.OnMap, $"move to {targetMap}");
        s.State = SessionState.Moving;
        s.TargetMap = targetMap;
        return await SaveAsync();
    }

    public async Task<SessionInfo> FailMoveAsync()
    {
        var s = state.State;
        if (s.State is SessionState.Offline or SessionState.OnMap) return Snapshot();
        s.State = s.State == SessionState.Moving && s.Map is not null ? SessionState.OnMap : SessionState.Offline;
        s.TargetMap = null;
        if (s.State == SessionState.Offline) (s.Map, s.HostId, s.Epoch) = (null, null, 0);
        return await SaveAsync();
    }

    public async Task<SessionInfo> LogoutAsync()
    {
        var s = state.State;
        if (s.State == SessionState.Offline) return Snapshot();
        s.State = SessionState.Offline;
        (s.Map, s.HostId, s.Epoch, s.TargetMap) = (null, null, 0, null);
        return await SaveAsync();
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed)
            throw new ClusterException(ClusterError.InvalidTransition, $"char {CharId} cannot {action} while {state.State.State}");
    }

    private async Task<SessionInfo> SaveAsync()
    {
        state.State.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return Snapshot();
    }

    private SessionInfo Snapshot()
    {
        var s = state.State;
        return new SessionInfo(CharId, s.AccountId, s.State, s.Map, s.HostId, s.Epoch, s.TargetMap, s.UpdatedAt);
    }
}
