using P2PCluster.Grains.Interfaces;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>placement</c>'s baseline: the host directory as it was before its index (every decision scores every
/// host). A separate interface, so <see cref="IHostDirectoryGrain"/> keeps exactly one implementation in the silo.
/// </summary>
[Alias("p2p.bench.ILinearDirectoryGrain")]
public interface ILinearDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>As <see cref="IHostDirectoryGrain.UpsertAsync"/>.</summary>
    [Alias("UpsertAsync")]
    Task UpsertAsync(HostCandidate candidate);

    /// <summary>As <see cref="IHostDirectoryGrain.PlaceAsync"/>, by a linear scan.</summary>
    [Alias("PlaceAsync")]
    Task<PlacementDecision?> PlaceAsync(string map, MapPolicy policy, string? excludeHost, string reason);
}
