namespace P2PCluster.HostAgent.Metrics;

/// <summary>Running totals of the agent's link to the cluster, for the metrics endpoint (<see cref="AgentMetrics"/>). Thread-safe; counting costs one interlocked add.</summary>
public sealed class AgentCounters
{
    private long _reconnects;
    private long _dbProxyRetries;

    /// <summary>Times the agent dialled the coordinator again after a failed attempt or a dropped session.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Database-proxy requests sent again (the connection dropped, or the proxy answered that it could not decide).</summary>
    public long DbProxyRetries => Interlocked.Read(ref _dbProxyRetries);

    public void Reconnect() => Interlocked.Increment(ref _reconnects);

    public void DbProxyRetry() => Interlocked.Increment(ref _dbProxyRetries);
}
