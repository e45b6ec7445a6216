using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>
/// The history's outbox, one per silo: <see cref="Enqueue"/> never blocks or throws; writes are made in order by a
/// background loop and a failed one (database down) is kept and tried again every <see cref="AlertOptions.HistoryRetryDelay"/>,
/// so nothing is lost while the process lives. Also purges alerts older than <c>alerts.history_days</c>.
/// </summary>
public sealed partial class AlertHistoryWriter(IAlertHistory history, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertHistoryWriter> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly List<Alert> _pending = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;
    private bool _failing;

    /// <summary>Writes not yet made, oldest first.</summary>
    public IReadOnlyList<Alert> Pending
    {
        get { lock (_lock) return [.. _pending]; }
    }

    /// <summary>Queues <paramref name="alert"/>; a queued older version of the same alert is replaced.</summary>
    public void Enqueue(Alert alert)
    {
        lock (_lock)
        {
            int i = _pending.FindIndex(a => a.Id == alert.Id);
            if (i >= 0) _pending[i] = alert;
            else _pending.Add(alert);
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Firing alerts from the history and the queue (the queue's version wins).</summary>
    public async Task<IReadOnlyList<Alert>> LoadFiringAsync(CancellationToken cancellationToken)
    {
        var stored = await history.LoadFiringAsync(cancellationToken);
        var pending = Pending;
        return Merge(stored, pending).Where(a => a.State == AlertState.Firing).ToList();
    }

    /// <summary>The newest <paramref name="limit"/> alerts of the history and the queue.</summary>
    public async Task<IReadOnlyList<Alert>> LoadRecentAsync(int limit, CancellationToken cancellationToken)
    {
        var pending = Pending;
        var stored = await history.LoadRecentAsync(limit, cancellationToken);
        return AlertOrder.Newest(Merge(stored, pending), limit);
    }

    private static IEnumerable<Alert> Merge(IEnumerable<Alert> stored, IReadOnlyList<Alert> pending)
    {
        var ids = pending.Select(a => a.Id).ToHashSet();
        return stored.Where(a => !ids.Contains(a.Id)).Concat(pending);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool written = await WritePendingAsync(stoppingToken);
            await PurgeIfDueAsync(stoppingToken);
            // After a failure only the retry delay wakes the loop (no hammering a database that is down).
            var wait = written ? _nextPurge - time.GetUtcNow() : options.Value.HistoryRetryDelay;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            try
            {
                if (written) await _wake.Reader.WaitToReadAsync(stoppingToken).AsTask().WaitAsync(wait, time, stoppingToken);
                else await Task.Delay(wait, time, stoppingToken);
                _wake.Reader.TryRead(out _);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        int left = Pending.Count;
        if (left > 0) LogLostAtStop(logger, left);
    }

    /// <summary>Writes the queue in order; false when a write failed (the rest waits for the retry).</summary>
    private async Task<bool> WritePendingAsync(CancellationToken stoppingToken)
    {
        for (int i = 0; i < 10_000; i++)
        {
            Alert next;
            lock (_lock)
            {
                if (_pending.Count == 0) break;
                next = _pending[0];
            }
            try
            {
                await history.SaveAsync(next, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!_failing) LogWriteFailed(logger, e, next.Id, Pending.Count);
                _failing = true;
                return false;
            }
            lock (_lock)
            {
                // Replaced meanwhile by a newer version: write that one next.
                if (_pending.Count > 0 && ReferenceEquals(_pending[0], next)) _pending.RemoveAt(0);
            }
            if (_failing) LogWritesResumed(logger);
            _failing = false;
        }
        return true;
    }

    private async Task PurgeIfDueAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPurge) return;
        _nextPurge = now + options.Value.PurgePeriod;
        try
        {
            int purged = await history.PurgeAsync(now - options.Value.HistoryRetention, stoppingToken);
            if (purged > 0) LogPurged(logger, purged, options.Value.HistoryRetention.TotalDays);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            _nextPurge = now + options.Value.HistoryRetryDelay;
            LogPurgeFailed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 7110, Level = LogLevel.Warning,
        Message = "Alert history: writing alert {AlertId} failed; {Count} write(s) kept and retried until the database answers")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string alertId, int count);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Alert history: writes resumed")]
    private static partial void LogWritesResumed(ILogger logger);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Information, Message = "Alert history: purged {Count} alert(s) resolved more than {Days} days ago")]
    private static partial void LogPurged(ILogger logger, int count, double days);

    [LoggerMessage(EventId = 7113, Level = LogLevel.Warning, Message = "Alert history: purge failed ({Reason}); retried later")]
    private static partial void LogPurgeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7114, Level = LogLevel.Error, Message = "Alert history: {Count} write(s) not made when the silo stopped (database unreachable)")]
    private static partial void LogLostAtStop(ILogger logger, int count);
}
