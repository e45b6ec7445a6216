namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// What <see cref="ProcMetrics"/> read at one instant: cumulative cpu jiffies (busy and total, all cpus), memory in
/// use now, and cumulative bytes received plus sent on the counted interfaces. Rates come from two of these.
/// </summary>
public readonly record struct ProcCounters(ulong CpuBusy, ulong CpuTotal, ushort MemoryPermille, ulong NetworkBytes);
