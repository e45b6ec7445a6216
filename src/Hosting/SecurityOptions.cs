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

    /// <summary>
    /// Milliseconds from <c>p2p-keygen --rotate</c> announcing a next key to every silo and gateway signing with it. At
    /// least 2 × the host agents' longest reconnect delay (10 s), so a reconnecting agent hears the announcement under
    /// the old key first; silos poll the key set at a quarter of it (at most every 5 s).
    /// </summary>
    [ConfigKey("key_rollover_ms"), Range(1_000, 604_800_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int KeyRolloverMs { get; set; } = 60_000;

    /// <summary>
    /// Milliseconds a superseded coordinator key keeps verifying after its successor became active (then it is retired).
    /// At least accounts.ticket_lifetime_ms, so a ticket signed just before the switch stays good until it expires.
    /// </summary>
    [ConfigKey("key_grace_ms"), Range(1_000, 1_728_000_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int KeyGraceMs { get; set; } = 604_800_000;

    public TimeSpan KeyRollover => TimeSpan.FromMilliseconds(KeyRolloverMs);

    public TimeSpan KeyGrace => TimeSpan.FromMilliseconds(KeyGraceMs);

    /// <summary>How often silos and gateways re-read the key set: a quarter of the rollover, between 100 ms and 5 s.</summary>
    public TimeSpan KeySetRefresh => TimeSpan.FromMilliseconds(Math.Clamp(KeyRolloverMs / 4, 100, 5_000));

    /// <summary>Where the embedded default keeps generated files (the development key).</summary>
    [ConfigKey("data_dir")]
    public string DataDir { get; set; } = "data";
}
