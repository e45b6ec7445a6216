namespace P2PCluster.HostAgent.Metrics;

/// <summary>The one place that picks the metrics source for this operating system.</summary>
public static class MachineCounters
{
    /// <summary><see cref="WindowsMetrics"/> on Windows, <see cref="ProcMetrics"/> (/proc) everywhere else.</summary>
    public static IMachineCounters ForThisSystem() =>
        OperatingSystem.IsWindows() ? new WindowsMetrics() : new ProcMetrics();
}
