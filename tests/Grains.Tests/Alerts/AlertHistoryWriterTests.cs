using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

public sealed class AlertHistoryWriterTests
{
    private static Alert Sample(string id, AlertState state, DateTimeOffset at) =>
        new(id, AlertRuleNames.HostChurn, "", state, 9, 5, at, at, state == AlertState.Resolved ? at : null, "9 failovers");

    [Fact]
    public async Task WritesMadeWhileTheStoreIsDownAreKeptAndWrittenInOrderWhenItReturns()
    {
        var store = new DownStore();
        var options = Options.Create(new AlertOptions { HistoryRetryDelay = TimeSpan.FromMilliseconds(50) });
        var writer = new AlertHistoryWriter(store, options, TimeProvider.System, NullLogger<AlertHistoryWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            var now = DateTimeOffset.UtcNow;
            writer.Enqueue(Sample("a", AlertState.Firing, now)); // never throws, whatever the store does
            writer.Enqueue(Sample("b", AlertState.Firing, now));
            writer.Enqueue(Sample("a", AlertState.Resolved, now.AddSeconds(1)));
            await store.Failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(2, writer.Pending.Count); // a's resolution replaced its queued firing

            store.Up = true;
            await store.Saved(2).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(["a", "b"], store.Writes.Select(w => w.Id));
            Assert.Equal(AlertState.Resolved, store.Writes[0].State);
            Assert.Empty(writer.Pending);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ResolvedAlertsOlderThanTheRetentionArePurged()
    {
        var store = new InMemoryAlertHistory();
        var now = DateTimeOffset.UtcNow;
        await store.SaveAsync(Sample("old", AlertState.Resolved, now.AddDays(-31)), default);
        await store.SaveAsync(Sample("recent", AlertState.Resolved, now.AddDays(-29)), default);
        await store.SaveAsync(Sample("firing", AlertState.Firing, now.AddDays(-60)), default);
        Assert.Equal(1, await store.PurgeAsync(now.AddDays(-30), default));
        Assert.Equal(["firing", "recent"], (await store.LoadRecentAsync(10, default)).Select(a => a.Id).Order());
    }

    /// <summary>A store that fails every call until <see cref="Up"/>.</summary>
    private sealed class DownStore : IAlertHistory
    {
        private readonly InMemoryAlertHistory _inner = new();
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

        public volatile bool Up;
        public List<Alert> Writes { get; } = [];
        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Saved(int count)
        {
            lock (_lock)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (Writes.Count >= count) done.SetResult();
                else _waiters.Add((count, done));
                return done.Task;
            }
        }

        public async Task SaveAsync(Alert alert, CancellationToken cancellationToken)
        {
            if (!Up)
            {
                Failed.TrySetResult();
                throw new InvalidOperationException("database down");
            }
            await _inner.SaveAsync(alert, cancellationToken);
            lock (_lock)
            {
                Writes.Add(alert);
                foreach (var w in _waiters.Where(w => Writes.Count >= w.Count)) w.Done.TrySetResult();
            }
        }

        public Task<IReadOnlyList<Alert>> LoadFiringAsync(CancellationToken cancellationToken) =>
            Up ? _inner.LoadFiringAsync(cancellationToken) : throw new InvalidOperationException("database down");

        public Task<IReadOnlyList<Alert>> LoadRecentAsync(int limit, CancellationToken cancellationToken) =>
            Up ? _inner.LoadRecentAsync(limit, cancellationToken) : throw new InvalidOperationException("database down");

        public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            Up ? _inner.PurgeAsync(before, cancellationToken) : throw new InvalidOperationException("database down");
    }
}
