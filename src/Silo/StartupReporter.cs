using Microsoft.Extensions.Options;
using P2PCluster.Hosting;

namespace P2PCluster.Silo;

/// <summary>Where player accounts come from, in words, for the start-up log.</summary>
public sealed record AccountSourceDescription(string Description, bool Usable = true);

/// <summary>Logs, once the silo is up, what it runs on — above all when its data is not durable.</summary>
public sealed partial class StartupReporter(
    CoordinatorSettings settings,
    AccountSourceDescription accounts,
    IHostApplicationLifetime lifetime,
    ILogger<StartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var c = settings.Cluster;
        if (settings.Database.IsEmbedded)
            LogEmbedded(logger);
        else
            LogDatabase(logger, Database.Describe(settings.Database));
        if (!settings.Monitoring.AlertEnabled)
            LogAlertsOff(logger);
        else
            LogAlertsOn(logger, settings.Alerts.Rules.All(settings.Alerts.MinSilos).Count(r => r.Enabled), settings.Monitoring.MetricsInterval,
                settings.Alerts.Webhooks.Count, settings.Database.IsEmbedded ? "memory (not durable)" : "p2p_alerts");
        if (accounts.Usable) LogAccounts(logger, accounts.Description);
        else LogNoAccounts(logger, accounts.Description);
        LogStarted(logger, c.ClusterId, c.SiloPort, c.GatewayPort, settings.Http.Urls, settings.SourceFile ?? "(built-in defaults)",
            (DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning,
        Message = "Embedded default: no database.connection_string, so localhost clustering and in-memory grain state — NOT durable, lost when this process stops. Set database.connection_string for production.")]
    private static partial void LogEmbedded(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Player accounts from {Accounts}")]
    private static partial void LogAccounts(ILogger logger, string accounts);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Player accounts from {Accounts}")]
    private static partial void LogNoAccounts(ILogger logger, string accounts);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "Alerts off (monitoring.alert_enabled = false): no alert rule is evaluated and no webhook is called")]
    private static partial void LogAlertsOff(ILogger logger);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information,
        Message = "Alerts on: {Rules} rule(s) evaluated every {IntervalMs} ms, {Webhooks} webhook(s), history in {History}")]
    private static partial void LogAlertsOn(ILogger logger, int rules, int intervalMs, int webhooks, string history);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Clustering, grain state and reminders on {Database}")]
    private static partial void LogDatabase(ILogger logger, string database);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Silo started: cluster {ClusterId}, silo port {SiloPort}, gateway port {GatewayPort}, dashboard {Urls}/dashboard, config {Config}, start-up took {StartupMs:F0} ms")]
    private static partial void LogStarted(ILogger logger, string clusterId, int siloPort, int gatewayPort, string urls, string config, double startupMs);
}
