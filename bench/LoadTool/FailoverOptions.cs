namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>failover</c>: how many hosts and maps, the hosts' room (max maps each), how many rounds of how many
/// victims per failure kind, the cluster's failure detection (<c>distribution:</c>) and the hosts' heartbeat interval.
/// </summary>
public sealed record FailoverOptions(int Hosts, int Maps, int MaxMaps, int Rounds, int PerRound,
    int HeartbeatTimeoutMs, int ReconnectGraceMs, TimeSpan HeartbeatInterval);
