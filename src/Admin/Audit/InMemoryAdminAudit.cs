namespace P2PCluster.Admin.Audit;

/// <summary>The embedded default's audit: this silo's last <see cref="Capacity"/> rows, lost when it stops.</summary>
public sealed class InMemoryAdminAudit : IAdminAudit
{
    public const int Capacity = 10_000;

    private readonly LinkedList<AuditEntry> _entries = new();
    private readonly Lock _lock = new();

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Capacity) _entries.RemoveLast();
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Take(limit).ToList());
    }
}
