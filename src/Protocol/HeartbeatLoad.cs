namespace P2PCluster.Protocol;

/// <summary>
/// A machine's load in HEARTBEAT's units: cpu and memory in per-mille (0–1000), network in kbit/s. The one place that
/// converts them to and from the cluster's percent and Mbit/s (the grains' <c>HostLoad</c>, the agent's metrics file).
/// </summary>
public readonly record struct HeartbeatLoad(ushort CpuPermille, ushort MemoryPermille, uint NetworkKbps)
{
    /// <summary>Cpu in percent of the machine.</summary>
    public double CpuPercent => CpuPermille / 10.0;

    /// <summary>Memory in percent of the machine.</summary>
    public double MemoryPercent => MemoryPermille / 10.0;

    /// <summary>Network in Mbit/s.</summary>
    public double NetworkMbps => NetworkKbps / 1000.0;

    /// <summary>Percent as per-mille, rounded and clamped to 0–1000.</summary>
    public static ushort PermilleOf(double percent) => (ushort)Math.Clamp(Math.Round(percent * 10), 0, 1000);

    /// <summary>Mbit/s as kbit/s, clamped to the wire's u32.</summary>
    public static uint KbpsOf(double mbps) => (uint)Math.Clamp(mbps * 1000, 0, uint.MaxValue);
}
