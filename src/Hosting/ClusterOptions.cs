using System.ComponentModel.DataAnnotations;
using System.Net;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>cluster:</c> Orleans identity, endpoints and membership timing. The timing defaults evict a killed silo in about
/// a second and a frozen one in a few (docs/operations.md); raise them on slow or lossy networks.
/// </summary>
[ConfigSection("cluster")]
public sealed class ClusterOptions : IValidatableObject
{
    private const string IdPattern = "^[A-Za-z0-9._-]{1,100}$";
    private const string IdMessage = "must be 1–100 characters of letters, digits, '.', '_' or '-'";

    [ConfigKey("cluster_id"), Required(ErrorMessage = IdMessage), RegularExpression(IdPattern, ErrorMessage = IdMessage)]
    public string ClusterId { get; set; } = "p2p";

    [ConfigKey("service_id"), Required(ErrorMessage = IdMessage), RegularExpression(IdPattern, ErrorMessage = IdMessage)]
    public string ServiceId { get; set; } = "p2pcluster";

    [ConfigKey("silo_port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int SiloPort { get; set; } = 11111;

    [ConfigKey("gateway_port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>IP address other silos and clients reach this silo on; empty = loopback when embedded, else this host's address.</summary>
    [ConfigKey("advertised_address")]
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>
    /// Where <c>silo_port</c> and <c>gateway_port</c> listen; empty = the advertised address only (those ports face the
    /// other silos and stand-alone gateways, never the internet). <c>0.0.0.0</c> opts in to every address, e.g. behind
    /// NAT where the advertised address is not local.
    /// </summary>
    [ConfigKey("bind_address")]
    public string BindAddress { get; set; } = "";

    [ConfigKey("probe_timeout_ms"), Range(100, 60_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ProbeTimeoutMs { get; set; } = 1000;

    /// <summary>
    /// Ceiling of Orleans' adaptive probe timeout (its default is 4 × probe_timeout_ms). A frozen silo is evicted after
    /// about num_missed_probes_limit × this, so it, not probe_timeout_ms, sets the eviction time of a hung machine.
    /// </summary>
    [ConfigKey("max_probe_timeout_ms"), Range(100, 60_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int MaxProbeTimeoutMs { get; set; } = 1500;

    [ConfigKey("num_missed_probes_limit"), Range(1, 10, ErrorMessage = "must be between {1} and {2}")]
    public int NumMissedProbesLimit { get; set; } = 3;

    [ConfigKey("num_votes_for_death_declaration"), Range(1, 10, ErrorMessage = "must be between {1} and {2}")]
    public int NumVotesForDeathDeclaration { get; set; } = 1;

    [ConfigKey("table_refresh_timeout_ms"), Range(500, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int TableRefreshTimeoutMs { get; set; } = 5000;

    [ConfigKey("iamalive_publish_timeout_ms"), Range(500, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int IAmAlivePublishTimeoutMs { get; set; } = 5000;

    [ConfigKey("response_timeout_ms"), Range(500, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ResponseTimeoutMs { get; set; } = 5000;

    /// <summary>How often a client (the stand-alone gateway) refreshes its list of live silos.</summary>
    [ConfigKey("gateway_list_refresh_ms"), Range(500, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int GatewayListRefreshMs { get; set; } = 5000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdvertisedAddress.Length > 0 && !IPAddress.TryParse(AdvertisedAddress, out _))
            yield return new ValidationResult("must be an IP address literal (or empty)", [nameof(AdvertisedAddress)]);
        if (MaxProbeTimeoutMs < ProbeTimeoutMs)
            yield return new ValidationResult("must be at least cluster.probe_timeout_ms", [nameof(MaxProbeTimeoutMs)]);
        if (BindAddress.Length > 0 && !IPAddress.TryParse(BindAddress, out _))
            yield return new ValidationResult("must be an IP address literal such as 0.0.0.0 (or empty: the advertised address)", [nameof(BindAddress)]);
        if (SiloPort == GatewayPort)
            yield return new ValidationResult("must differ from cluster.gateway_port", [nameof(SiloPort)]);
    }
}
