namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>heartbeats</c>: how many agents on the one node and how often each heartbeats, the unmeasured
/// warm-up and the measured window, the agents' redial delay after the node dies, and how long the reconnect storm
/// may take before the tool stops waiting (and exits 1 after its RESULT line); the node's
/// <c>coordinator.max_pending_handshakes</c> (0: its default).
/// </summary>
public sealed record HeartbeatsOptions(int Agents, TimeSpan HeartbeatInterval, TimeSpan Warmup, TimeSpan Window, TimeSpan Retry, TimeSpan StormTimeout,
    int MaxPendingHandshakes);
