using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Alerts;

/// <summary>
/// Evaluates the built-in rules every <c>monitoring.metrics_interval</c> with a grain timer; a reminder
/// (<c>distribution.reminder_period_ms</c>) brings it back on a surviving silo when its silo dies, and it takes
/// back the alerts that were firing from the history. Firings and resolutions go to the log, the history outbox
/// and the webhook queue, none of which can block or fail the turn.
/// </summary>
public sealed partial class AlertGrain(
    IOptions<AlertOptions> options,
    IOptions<DistributionOptions> distribution,
    IClusterSnapshotSource snapshots,
    AlertHistoryWriter history,
    WebhookDispatcher webhooks,
    TimeProvider time,
    ILogger<AlertGrain> logger) : Grain, IAlertGrain, IRemindable
{
    private const string Backstop = "alerts";
    private const int MaxHistory = 1000;

    private readonly AlertTracker _tracker = new();
    private DateTimeOffset _lastEvaluation = DateTimeOffset.MinValue;
    private IGrainTimer? _timer;

    private AlertOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Options.Enabled) return;
        try
        {
            _tracker.Restore(await history.LoadFiringAsync(cancellationToken));
        }
        catch (Exception e)
        {
            // Evaluation goes on (database_unreachable is one of the rules); an alert that was firing may fire again.
            LogRestoreFailed(logger, e.Message);
        }
        _timer = this.RegisterGrainTimer(EvaluateAsync, new GrainTimerCreationOptions(Options.Interval, Options.Interval) { KeepAlive = true });
        try
        {
            await this.RegisterOrUpdateReminder(Backstop, distribution.Value.ReminderPeriod, distribution.Value.ReminderPeriod);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReminderFailed(logger, e.Message);
        }
    }

    public Task EnsureRunningAsync() => Task.CompletedTask;

    public Task<IReadOnlyList<Alert>> GetActiveAsync() => Task.FromResult(_tracker.Active);

    public async Task<IReadOnlyList<Alert>> GetHistoryAsync(int limit)
    {
        if (limit is < 1 or > MaxHistory)
            throw new ClusterException(ClusterError.InvalidArgument, $"limit {limit}: must be between 1 and {MaxHistory}");
        try
        {
            return await history.LoadRecentAsync(limit, CancellationToken.None);
        }
        catch (Exception e) when (e is not ClusterException)
        {
            throw new ClusterException(ClusterError.StoreUnavailable, $"alert history unavailable: {e.Message}");
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Backstop) return;
        if (!Options.Enabled)
        {
            // monitoring.alert_enabled was turned off since the reminder was registered.
            var reminder = await this.GetReminder(Backstop);
            if (reminder is not null) await this.UnregisterReminder(reminder);
            DeactivateOnIdle();
            return;
        }
        // Activation restarted the timer; evaluate now only if it has fallen behind.
        if (time.GetUtcNow() - _lastEvaluation > 2 * Options.Interval) await EvaluateAsync(CancellationToken.None);
    }

    private async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        ClusterSnapshot snapshot;
        try
        {
            snapshot = await snapshots.GetSnapshotAsync();
        }
        catch (Exception e)
        {
            LogSnapshotFailed(logger, e.Message);
            return;
        }
        // Milliseconds, as p2p_alerts and the webhook body keep them: an alert read back equals the one sent.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        _lastEvaluation = now;
        var rules = Options.Rules;
        foreach (var alert in _tracker.Observe(AlertConditions.Evaluate(snapshot, rules, now), rules, now))
        {
            if (alert.State == AlertState.Firing) LogFiring(logger, alert.Rule, alert.Subject, alert.Id, alert.Summary);
            else LogResolved(logger, alert.Rule, alert.Subject, alert.Id, (now - (alert.FiredAt ?? now)).TotalSeconds, alert.Summary);
            history.Enqueue(alert);
            webhooks.Enqueue(alert);
        }
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning, Message = "Alert FIRING: {Rule} {Subject} ({AlertId}): {Summary}")]
    private static partial void LogFiring(ILogger logger, string rule, string subject, string alertId, string summary);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning,
        Message = "Alert RESOLVED: {Rule} {Subject} ({AlertId}) after {Seconds:F0} s; it fired with: {Summary}")]
    private static partial void LogResolved(ILogger logger, string rule, string subject, string alertId, double seconds, string summary);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Alerts: no cluster snapshot this interval ({Reason}); alerts kept as they are")]
    private static partial void LogSnapshotFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Alerts: the firing alerts could not be read back from the history ({Reason})")]
    private static partial void LogRestoreFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Alerts: the backstop reminder could not be registered ({Reason}); the timer runs on")]
    private static partial void LogReminderFailed(ILogger logger, string reason);
}
