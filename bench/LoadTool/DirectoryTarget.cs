using P2PCluster.Grains.Interfaces;

namespace P2PCluster.LoadTool;

/// <summary>A directory scenario <c>placement</c> drives through real grain calls: the indexed one, or the linear baseline.</summary>
public sealed record DirectoryTarget(
    string Name,
    Func<HostCandidate, Task> UpsertAsync,
    Func<string, MapPolicy, string?, string, Task<PlacementDecision?>> PlaceAsync)
{
    public static DirectoryTarget Indexed(IGrainFactory grains)
    {
        var grain = grains.GetGrain<IHostDirectoryGrain>(0);
        return new DirectoryTarget("indexed", grain.UpsertAsync, grain.PlaceAsync);
    }

    public static DirectoryTarget Linear(IGrainFactory grains)
    {
        var grain = grains.GetGrain<ILinearDirectoryGrain>(0);
        return new DirectoryTarget("linear", grain.UpsertAsync, grain.PlaceAsync);
    }
}
