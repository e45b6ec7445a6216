using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>Where fired and resolved alerts are kept (p2p_alerts on MariaDB, memory on the embedded default). Methods may throw; <see cref="AlertHistoryWriter"/> retries.</summary>
public interface IAlertHistory
{
    /// <summary>Inserts the alert, or replaces the row of the same id (firing, then resolved).</summary>
    Task SaveAsync(Alert alert, CancellationToken cancellationToken);

    /// <summary>Alerts firing and not resolved.</summary>
    Task<IReadOnlyList<Alert>> LoadFiringAsync(CancellationToken cancellationToken);

    /// <summary>The newest alerts (by end, else firing time), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Alert>> LoadRecentAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Deletes alerts resolved before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
