namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// Evaluates the built-in alert rules (key 0) against <see cref="IClusterStateGrain"/>'s snapshot every
/// <c>monitoring.metrics_interval</c> ms, with a reminder that brings it back on another silo when its silo dies.
/// Read by operators and the admin API.
/// </summary>
[Alias("p2p.IAlertGrain")]
public interface IAlertGrain : IGrainWithIntegerKey
{
    /// <summary>Starts evaluation (timer and reminder backstop) when alerts are enabled; idempotent, called by every silo at start.</summary>
    [Alias("EnsureRunningAsync")]
    Task EnsureRunningAsync();

    /// <summary>Alerts pending or firing now, oldest first.</summary>
    [Alias("GetActiveAsync")]
    Task<IReadOnlyList<Alert>> GetActiveAsync();

    /// <summary>
    /// Fired and resolved alerts, newest first, at most <paramref name="limit"/> (1–1000), from the history
    /// (p2p_alerts on MariaDB) plus writes still waiting for the database.
    /// </summary>
    [Alias("GetHistoryAsync")]
    Task<IReadOnlyList<Alert>> GetHistoryAsync(int limit);
}
