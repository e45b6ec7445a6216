using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Grains;

/// <summary>See <see cref="INetworkControlGrain"/>. Memory changes only once the write succeeded.</summary>
public sealed class NetworkControlGrain(
    [PersistentState("network", StorageNames.State)] IPersistentState<NetworkControlState> state,
    TimeProvider time) : Grain, INetworkControlGrain
{
    private IHostDirectoryGrain Directory => GrainFactory.GetGrain<IHostDirectoryGrain>(0);

    public Task<NetworkControl> GetAsync()
    {
        var s = state.State;
        return Task.FromResult(new NetworkControl(s.P2PPaused, s.PausedAt, s.PausedBy, s.ResetGeneration));
    }

    public async Task<bool> PauseAsync(string operatorName)
    {
        bool changed = !state.State.P2PPaused;
        if (changed)
        {
            await WriteAsync(s =>
            {
                s.P2PPaused = true;
                s.PausedAt = time.GetUtcNow();
                s.PausedBy = string.IsNullOrWhiteSpace(operatorName) ? null : operatorName;
            });
        }
        // Told also on a repeat: a directory re-activated since may have missed nothing, but this costs one call.
        await Directory.SetP2PPausedAsync(true);
        return changed;
    }

    public async Task<bool> ResumeAsync()
    {
        bool changed = state.State.P2PPaused;
        if (changed) await WriteAsync(s => (s.P2PPaused, s.PausedAt, s.PausedBy) = (false, null, null));
        await Directory.SetP2PPausedAsync(false);
        return changed;
    }

    public async Task<long> BeginResetAsync(long seen)
    {
        if (state.State.ResetGeneration > seen) return state.State.ResetGeneration;
        await WriteAsync(s => s.ResetGeneration++);
        return state.State.ResetGeneration;
    }

    private async Task WriteAsync(Action<NetworkControlState> change)
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
    }
}
