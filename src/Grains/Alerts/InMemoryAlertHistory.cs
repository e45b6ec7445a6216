using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>The history on the embedded default: this process's memory, like the rest of its state.</summary>
public sealed class InMemoryAlertHistory : IAlertHistory
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Alert> _alerts = [];

    public Task SaveAsync(Alert alert, CancellationToken cancellationToken)
    {
        lock (_lock) _alerts[alert.Id] = alert;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Alert>> LoadFiringAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<Alert>>(_alerts.Values.Where(a => a.State == AlertState.Firing).ToList());
    }

    public Task<IReadOnlyList<Alert>> LoadRecentAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<Alert>>(AlertOrder.Newest(_alerts.Values, limit));
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var old = _alerts.Values.Where(a => a.EndedAt < before).Select(a => a.Id).ToList();
            foreach (string id in old) _alerts.Remove(id);
            return Task.FromResult(old.Count);
        }
    }
}
