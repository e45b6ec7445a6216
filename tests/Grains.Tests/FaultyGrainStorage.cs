using Orleans.Storage;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>Grain storage that fails the writes of the grains <see cref="StorageFaults"/> names, and otherwise is <paramref name="inner"/>.</summary>
public sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!faults.Fails(grainId)) return inner.WriteStateAsync(stateName, grainId, grainState);
        faults.CountRefused(grainId);
        return Task.FromException(new ClusterException(ClusterError.StoreUnavailable, $"injected: the state of {grainId} cannot be written"));
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
