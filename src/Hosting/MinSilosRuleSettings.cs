using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>alerts.rules.min_silos:</c> on or off and its <c>for_ms</c>; its threshold is <c>alerts.min_silos</c>.</summary>
public sealed class MinSilosRuleSettings
{
    [ConfigKey("enabled")]
    public bool Enabled { get; set; } = true;

    [ConfigKey("for_ms"), Range(0, 86_400_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ForMs { get; set; } = 30_000;
}
