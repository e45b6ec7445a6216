using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>Tells the cluster-state grain when one map's state (as the metrics see it) changes: one-way, never awaited.</summary>
public sealed class MapStateReporter
{
    private ClusterMapState? _last;

    /// <summary>A map's state from its grain's record.</summary>
    public static ClusterMapState Of(MapStatus status, MapAssignment? assignment, MapInstanceState? instance) =>
        status == MapStatus.Disabled ? ClusterMapState.Disabled
        : assignment is null ? ClusterMapState.Unassigned
        : instance != MapInstanceState.Running ? ClusterMapState.Starting
        : assignment.HostKind == HostKind.Vps ? ClusterMapState.Vps : ClusterMapState.P2P;

    /// <summary>Sends <paramref name="state"/> unless it is what was sent last.</summary>
    public void Report(IGrainFactory grains, string map, ClusterMapState state, DateTimeOffset now)
    {
        if (_last == state) return;
        _last = state;
        grains.GetGrain<IClusterStateGrain>(0).MapStateAsync(map, state, now).Ignore();
    }
}
