using System.ComponentModel.DataAnnotations;
using P2PCluster.Client;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary><c>coordinator:</c> which gateways the agent connects to and how it trusts them.</summary>
[ConfigSection("coordinator")]
public sealed class CoordinatorLinkOptions
{
    /// <summary>Comma-separated <c>host:port</c> gateways, tried in order; on a failure the next one (round robin).</summary>
    [ConfigKey("endpoints"), CustomValidation(typeof(CoordinatorLinkOptions), nameof(ValidateEndpoints))]
    public string Endpoints { get; set; } = "127.0.0.1:5121";

    /// <summary>
    /// The coordinator's Ed25519 public key to pin: a path to a PEM file, or the key inline (PEM, 64 hex digits or
    /// 44-character base64). The default is where an embedded-default silo run from the same folder writes its
    /// development key's public half.
    /// </summary>
    [ConfigKey("public_key"), Required(AllowEmptyStrings = false, ErrorMessage = "required: the coordinator's public key (a PEM file, or the key as hex or base64)")]
    public string PublicKey { get; set; } = "data/coordinator_ed25519.pub.pem";

    /// <summary>Refuse a coordinator that runs without encryption.</summary>
    [ConfigKey("require_encryption")]
    public bool RequireEncryption { get; set; } = true;

    [ConfigKey("heartbeat_interval_ms"), Range(100, 60_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int HeartbeatIntervalMs { get; set; } = 1000;

    /// <summary>
    /// How long after sending an acknowledged heartbeat the agent may serve its maps (docs/placement.md, "Leases"). Must
    /// stay below the coordinator's distribution.heartbeat_timeout_ms by the margin documented there, and above the
    /// heartbeat interval (or it would lapse between two heartbeats).
    /// </summary>
    [ConfigKey("lease_ms"), Range(200, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds"),
        CustomValidation(typeof(CoordinatorLinkOptions), nameof(ValidateLease))]
    public int LeaseMs { get; set; } = 2500;

    /// <summary>
    /// The database proxy's port on the same host as the gateway the agent is connected to: players' progress is
    /// saved only through it (the host never holds database credentials).
    /// </summary>
    [ConfigKey("db_proxy_port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int DbProxyPort { get; set; } = 5122;

    /// <summary>The parsed <see cref="Endpoints"/> (empty when invalid; validation names the key).</summary>
    public IReadOnlyList<CoordinatorEndpoint> EndpointList =>
        CoordinatorEndpoint.TryParseList(Endpoints, out var list, out _) ? list : [];

    // Attributes rather than IValidatableObject: DataAnnotations skips the latter once any attribute fails, and every
    // mistake should be reported at once.
    public static ValidationResult? ValidateLease(int value, ValidationContext context) =>
        context.ObjectInstance is CoordinatorLinkOptions o && value < 2 * o.HeartbeatIntervalMs
            ? new ValidationResult($"must be at least twice coordinator.heartbeat_interval_ms ({o.HeartbeatIntervalMs}), or one late heartbeat stops every map",
                [context.MemberName!])
            : ValidationResult.Success;

    public static ValidationResult? ValidateEndpoints(string value, ValidationContext context) =>
        CoordinatorEndpoint.TryParseList(value, out _, out string? error) ? ValidationResult.Success : new ValidationResult(error, [context.MemberName!]);
}
