using System.ComponentModel.DataAnnotations;
using P2PCluster.Client;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent;

/// <summary><c>identity:</c> who this host is (its key), what kind of machine, and where players reach it.</summary>
[ConfigSection("identity")]
public sealed class IdentityOptions
{
    /// <summary>The host's Ed25519 private key (PKCS#8 PEM); created with mode 0600 on first run if missing.</summary>
    [ConfigKey("key_file"), Required(AllowEmptyStrings = false, ErrorMessage = "required: where the host's private key is (or is to be created)")]
    public string KeyFile { get; set; } = "data/host_ed25519.pem";

    [ConfigKey("kind")]
    public HostKind Kind { get; set; } = HostKind.P2P;

    /// <summary>IP address or DNS name players reach this machine on.</summary>
    [ConfigKey("advertised_host"), CustomValidation(typeof(IdentityOptions), nameof(ValidateAdvertisedHost))]
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    public static ValidationResult? ValidateAdvertisedHost(string value, ValidationContext context) =>
        !CoordinatorEndpoint.IsHost(value) ? new ValidationResult("must be an IP address or a DNS name that players can reach", [context.MemberName!])
        // host:port must fit IDENTIFY's u8-length endpoint.
        : value.Length + 8 > ProtocolLimits.MaxEndpointBytes ? new ValidationResult($"must be at most {ProtocolLimits.MaxEndpointBytes - 8} characters", [context.MemberName!])
        : ValidationResult.Success;
}
