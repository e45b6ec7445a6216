using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary>One rule under <c>alerts.rules:</c>: on or off, its threshold, and how long it must hold before the alert fires.</summary>
public sealed class AlertRuleSettings(double threshold, double max, string unit, int forMs = 0) : IValidatableObject
{
    [ConfigKey("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>The value the rule's measure must exceed (units in <see cref="AlertRulesSettings"/>).</summary>
    [ConfigKey("threshold")]
    public double Threshold { get; set; } = threshold;

    /// <summary>How long the condition holds (alert pending) before the alert fires; 0 fires at the first evaluation.</summary>
    [ConfigKey("for_ms"), Range(0, 86_400_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ForMs { get; set; } = forMs;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Threshold < 0 || Threshold > max)
            yield return new ValidationResult($"must be between 0 and {max} {unit}", [nameof(Threshold)]);
    }
}
