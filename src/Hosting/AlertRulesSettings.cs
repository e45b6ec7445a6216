namespace P2PCluster.Hosting;

/// <summary><c>alerts.rules:</c> one entry per built-in rule; a rule left out keeps its defaults, an unknown name stops start-up.</summary>
public sealed class AlertRulesSettings
{
    /// <summary>A map without a host longer than threshold seconds (one alert per map).</summary>
    [ConfigKey("map_unassigned")]
    public AlertRuleSettings MapUnassigned { get; set; } = new(threshold: 60, max: 86_400, unit: "seconds");

    /// <summary>More than threshold percent of the configured (not disabled) maps on VPS hosts.</summary>
    [ConfigKey("vps_share")]
    public AlertRuleSettings VpsShare { get; set; } = new(threshold: 50, max: 100, unit: "percent", forMs: 300_000);

    /// <summary>More than threshold failovers (map moves forced off a host) in 5 minutes.</summary>
    [ConfigKey("host_churn")]
    public AlertRuleSettings HostChurn { get; set; } = new(threshold: 20, max: 1_000_000, unit: "failovers per 5 minutes");

    /// <summary>One host's database-proxy writes refused more than threshold times a minute (one alert per host).</summary>
    [ConfigKey("host_refused_writes")]
    public AlertRuleSettings HostRefusedWrites { get; set; } = new(threshold: 10, max: 1_000_000, unit: "refusals per minute");

    /// <summary>More than threshold ticket claims refused a minute.</summary>
    [ConfigKey("ticket_refusals")]
    public AlertRuleSettings TicketRefusals { get; set; } = new(threshold: 60, max: 1_000_000, unit: "refusals per minute", forMs: 60_000);

    /// <summary>Fewer active silos than alerts.min_silos (its threshold).</summary>
    [ConfigKey("min_silos")]
    public MinSilosRuleSettings MinSilos { get; set; } = new();

    /// <summary>The cluster's database not answering for more than threshold seconds.</summary>
    [ConfigKey("database_unreachable")]
    public AlertRuleSettings DatabaseUnreachable { get; set; } = new(threshold: 10, max: 86_400, unit: "seconds");

    /// <summary>Every rule by its name, with its threshold (<paramref name="minSilos"/> for min_silos).</summary>
    public IEnumerable<(string Name, bool Enabled, double Threshold, int ForMs)> All(int minSilos) =>
    [
        ("map_unassigned", MapUnassigned.Enabled, MapUnassigned.Threshold, MapUnassigned.ForMs),
        ("vps_share", VpsShare.Enabled, VpsShare.Threshold, VpsShare.ForMs),
        ("host_churn", HostChurn.Enabled, HostChurn.Threshold, HostChurn.ForMs),
        ("host_refused_writes", HostRefusedWrites.Enabled, HostRefusedWrites.Threshold, HostRefusedWrites.ForMs),
        ("ticket_refusals", TicketRefusals.Enabled, TicketRefusals.Threshold, TicketRefusals.ForMs),
        ("min_silos", MinSilos.Enabled, minSilos, MinSilos.ForMs),
        ("database_unreachable", DatabaseUnreachable.Enabled, DatabaseUnreachable.Threshold, DatabaseUnreachable.ForMs),
    ];
}
