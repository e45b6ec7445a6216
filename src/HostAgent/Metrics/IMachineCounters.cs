namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// Reads the machine's cumulative counters for <see cref="MetricsSampler"/>: Linux's /proc (<see cref="ProcMetrics"/>)
/// or Windows' APIs (<see cref="WindowsMetrics"/>), chosen at run time by <see cref="MachineCounters.ForThisSystem"/>.
/// </summary>
public interface IMachineCounters
{
    /// <summary>The interfaces the last <see cref="Read"/> counted.</summary>
    IReadOnlyList<string> CountedInterfaces { get; }

    /// <summary>One reading; throws <see cref="IOException"/>, <see cref="UnauthorizedAccessException"/> or <see cref="FormatException"/> when the system will not tell.</summary>
    ProcCounters Read();
}
