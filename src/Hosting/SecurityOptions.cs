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
}
