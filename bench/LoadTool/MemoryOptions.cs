namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>memory</c>: how many player sessions, host agents and maps the one silo holds active at once, how
/// often each host heartbeats, and how long the silo is left to settle before its memory is read.
/// </summary>
public sealed record MemoryOptions(int Sessions, int Hosts, int Maps, TimeSpan HeartbeatInterval, TimeSpan Settle);
