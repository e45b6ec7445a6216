namespace P2PCluster.Admin.Audit;

/// <summary>Where operate calls are recorded: p2p_admin_audit on MariaDB, memory on the embedded default.</summary>
public interface IAdminAudit
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> rows, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken);
}
