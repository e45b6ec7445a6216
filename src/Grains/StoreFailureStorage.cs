using System.Data.Common;
using Orleans.Storage;

namespace P2PCluster.Grains;

/// <summary>
/// Grain storage whose failures are <see cref="P2PCluster.Grains.Interfaces.ClusterError.StoreUnavailable"/>: it wraps
/// the real provider. A state read fails during activation, before any call filter runs, and Orleans sends the
/// activation's exception to every caller; wrapped here, that is our serializable exception, not the provider's.
/// </summary>
public sealed class StoreFailureStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Guard(() => inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>The provider initialises its queries in the silo lifecycle; it still takes part through this wrapper.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private static async Task Guard(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (DbException failure)
        {
            throw StoreFailures.Unavailable(failure, "the grain state database");
        }
    }
}
