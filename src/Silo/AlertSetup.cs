using P2PCluster.Grains.Alerts;
using P2PCluster.Hosting;

namespace P2PCluster.Silo;

/// <summary>Maps <c>monitoring:</c>, <c>alerts:</c> and the database of p2p.conf to <see cref="AlertOptions"/> (the one place this happens).</summary>
public static class AlertSetup
{
    public static AlertOptions Options(CoordinatorSettings settings)
    {
        var a = settings.Alerts;
        return new AlertOptions
        {
            Enabled = settings.Monitoring.AlertEnabled,
            Interval = TimeSpan.FromMilliseconds(settings.Monitoring.MetricsInterval),
            Rules = a.Rules.All(a.MinSilos).Select(r => new AlertRule(r.Name, r.Enabled, r.Threshold, TimeSpan.FromMilliseconds(r.ForMs))).ToList(),
            HistoryRetention = TimeSpan.FromDays(a.HistoryDays),
            ConnectionString = settings.Database.ConnectionString,
            ClusterId = settings.Cluster.ClusterId,
            Webhooks = a.Webhooks.Select(u => new Uri(u)).ToList(),
            WebhookSecret = a.WebhookSecret,
            WebhookTimeout = TimeSpan.FromMilliseconds(a.WebhookTimeoutMs),
            WebhookAttempts = a.WebhookAttempts,
        };
    }
}
