namespace P2PCluster.Grains;

/// <summary>What the cluster-state grain needs from the configuration (the silo fills it from p2p.conf).</summary>
public sealed class ClusterStateOptions
{
    /// <summary><c>monitoring.metrics_interval</c>: how often the snapshot is refreshed and processes report their counts.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The configured maps (<c>maps:</c>), asked for their state when the grain activates.</summary>
    public IReadOnlyList<string> Maps { get; set; } = [];

    /// <summary>A host declared dead is counted as dead this long unless it comes back (then it is forgotten).</summary>
    public TimeSpan DeadRetention { get; set; } = TimeSpan.FromHours(24);
}
