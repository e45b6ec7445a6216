namespace P2PCluster.HostAgent.Metrics;

/// <summary>The machine's load as HEARTBEAT carries it: cpu and memory in per-mille (0–1000), network in kbit/s.</summary>
public readonly record struct HostLoad(ushort CpuPermille, ushort MemoryPermille, uint NetworkKbps);
