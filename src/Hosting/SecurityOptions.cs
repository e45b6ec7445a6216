using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>security:</c> channel encryption and key rotation (seed keys and defaults).</summary>
[ConfigSection("security")]
public sealed class SecurityOptions
{
    [ConfigKey("encryption_enabled")]
    public bool EncryptionEnabled { get; set; } = true;

    /// <summary>Seconds between session key rotations.</summary>
    [ConfigKey("key_rotation_interval"), Range(60, 30 * 86400, ErrorMessage = "must be between {1} and {2} seconds")]
    public int KeyRotationInterval { get; set; } = 3600;

    /// <summary>
    /// PEM file with the coordinator's Ed25519 private key (<c>openssl genpkey -algorithm ED25519</c>); every silo and
    /// gateway of a cluster uses the same one. Empty on the embedded default: a development key is generated.
    /// </summary>
    [ConfigKey("coordinator_key_file")]
    public string CoordinatorKeyFile { get; set; } = "";

    /// <summary>Where the embedded default keeps generated files (the development key).</summary>
    [ConfigKey("data_dir")]
    public string DataDir { get; set; } = "data";
}
