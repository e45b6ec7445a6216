using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>alerts:</c> the built-in alert rules, where their history is kept and where firings and resolutions are sent
/// (docs/monitoring.md). Evaluated only when <c>monitoring.alert_enabled</c>, every <c>monitoring.metrics_interval</c>.
/// </summary>
[ConfigSection("alerts")]
public sealed class AlertsSettings : IValidatableObject
{
    /// <summary>Fewest characters of <see cref="WebhookSecret"/> when webhooks are set.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Days a resolved alert stays in the history (p2p_alerts on MariaDB, memory otherwise).</summary>
    [ConfigKey("history_days"), Range(1, 3650, ErrorMessage = "must be between {1} and {2} days")]
    public int HistoryDays { get; set; } = 30;

    /// <summary>http/https URLs each firing and resolution is POSTed to.</summary>
    [ConfigKey("webhooks")]
    public IReadOnlyList<string> Webhooks { get; set; } = [];

    /// <summary>HMAC-SHA256 key of the X-P2P-Signature header; required when webhooks are set.</summary>
    [ConfigKey("webhook_secret")]
    public string WebhookSecret { get; set; } = "";

    [ConfigKey("webhook_timeout_ms"), Range(100, 120_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int WebhookTimeoutMs { get; set; } = 5000;

    /// <summary>Attempts per notification and webhook (the first included) before it is given up, with a logged error.</summary>
    [ConfigKey("webhook_attempts"), Range(1, 100, ErrorMessage = "must be between {1} and {2}")]
    public int WebhookAttempts { get; set; } = 10;

    /// <summary>Fewest active silos; fewer fire the <c>min_silos</c> rule.</summary>
    [ConfigKey("min_silos"), Range(1, 10_000, ErrorMessage = "must be between {1} and {2}")]
    public int MinSilos { get; set; } = 1;

    [ConfigKey("rules")]
    public AlertRulesSettings Rules { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string url in Webhooks)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                yield return new ValidationResult($"'{url}' is not an http:// or https:// URL", [nameof(Webhooks)]);
        }
        if (Webhooks.Count > 0 && WebhookSecret.Length < MinSecretLength)
            yield return new ValidationResult(
                $"webhooks are set: needs a secret of at least {MinSecretLength} characters (receivers verify X-P2P-Signature with it)",
                [nameof(WebhookSecret)]);
    }
}
