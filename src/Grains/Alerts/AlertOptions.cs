namespace P2PCluster.Grains.Alerts;

/// <summary>The alert machinery's settings, mapped once from p2p.conf (<c>monitoring:</c> and <c>alerts:</c>) by the silo.</summary>
public sealed class AlertOptions
{
    /// <summary><c>monitoring.alert_enabled</c>: false evaluates nothing.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>monitoring.metrics_interval</c>: how often the rules are evaluated.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every built-in rule, enabled or not.</summary>
    public IReadOnlyList<AlertRule> Rules { get; set; } = [];

    /// <summary><c>alerts.history_days</c>.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the history writer waits before trying a failed write again.</summary>
    public TimeSpan HistoryRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often resolved alerts older than <see cref="HistoryRetention"/> are purged.</summary>
    public TimeSpan PurgePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>MariaDB holding p2p_alerts (<c>database.connection_string</c>); empty: the history is kept in memory.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The cluster's name in webhook bodies (<c>cluster.cluster_id</c>).</summary>
    public string ClusterId { get; set; } = "p2p";

    public IReadOnlyList<Uri> Webhooks { get; set; } = [];

    public string WebhookSecret { get; set; } = "";

    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per notification and webhook, the first included.</summary>
    public int WebhookAttempts { get; set; } = 10;

    /// <summary>Wait before the first retry; each further retry waits twice as long, at most <see cref="WebhookMaxBackoff"/>.</summary>
    public TimeSpan WebhookBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan WebhookMaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
