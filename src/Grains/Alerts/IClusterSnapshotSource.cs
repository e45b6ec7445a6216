using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>Where <see cref="AlertGrain"/> reads the cluster's state: <see cref="IClusterStateGrain"/> in a silo, a script in tests.</summary>
public interface IClusterSnapshotSource
{
    Task<ClusterSnapshot> GetSnapshotAsync();
}
