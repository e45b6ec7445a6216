using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>monitoring:</c> metrics sampling and alerts (seed keys and defaults).</summary>
[ConfigSection("monitoring")]
public sealed class MonitoringOptions
{
    /// <summary>Milliseconds between metric samples.</summary>
    [ConfigKey("metrics_interval"), Range(100, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int MetricsInterval { get; set; } = 5000;

    [ConfigKey("alert_enabled")]
    public bool AlertEnabled { get; set; } = true;
}
