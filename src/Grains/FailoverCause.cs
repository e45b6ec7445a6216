namespace P2PCluster.Grains;

/// <summary>Why maps were moved off a host (label <c>cause</c> of <c>p2p_failovers_total</c>; docs/monitoring.md).</summary>
public enum FailoverCause
{
    /// <summary>The host is gone: its connection closed and it did not come back within the reconnect grace, its agent
    /// left with maps, or nobody was behind it when its grain came back after a silo died.</summary>
    Dead,
    /// <summary>The connection stayed open but the heartbeats stopped for <c>heartbeat_timeout_ms</c> (a hung agent, a
    /// frozen PC, a half-open connection).</summary>
    Silent,
    /// <summary>The host stayed over a limit for <c>overload_window_ms</c> and shed a map (also a rebalance).</summary>
    Overload,
    /// <summary>Enough distinct players reported the host unreachable.</summary>
    PlayerReports,
    /// <summary>An operator banned or drained the host, or withdrew its approval.</summary>
    Operator,
}
