using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// What a host grain lends its parts: its id, its state (read through <see cref="State"/>: a failed write replaces the
/// state object), its write (memory goes back to storage if it fails), the liveness reminder, the directory refresh
/// (<c>true</c>: now, whatever the refresh period), the status report to the cluster-state grain, and the clock.
/// Persistence and the calls to other grains stay in the grain; the parts decide when to use them.
/// </summary>
public sealed record HostGrainContext(
    string HostId, Func<HostState> State, Func<Task> Write, Func<Task> KeepReminder, Func<bool, Task> Publish, Action ReportStatus,
    TimeProvider Time)
{
    /// <summary>Online or draining: connected, and counted as serving its maps.</summary>
    public bool IsLive => State().Status is HostStatus.Online or HostStatus.Draining;

    public bool HoldsMaps => State().Maps.Count > 0;
}
