using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>The cluster-state grain (key 0), the one place that counts the cluster once.</summary>
public sealed class ClusterStateSnapshotSource(IGrainFactory grains) : IClusterSnapshotSource
{
    public Task<ClusterSnapshot> GetSnapshotAsync() => grains.GetGrain<IClusterStateGrain>(0).GetSnapshotAsync();
}
