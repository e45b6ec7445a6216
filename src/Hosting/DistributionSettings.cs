using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>distribution:</c> failure detection and rebalancing timing (docs/placement.md).</summary>
[ConfigSection("distribution")]
public sealed class DistributionSettings
{
    [ConfigKey("heartbeat_timeout_ms"), Range(200, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int HeartbeatTimeoutMs { get; set; } = 3000;

    [ConfigKey("reconnect_grace_ms"), Range(0, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ReconnectGraceMs { get; set; } = 500;

    /// <summary>After the silo holding a host's grain dies, how long the host has to be heard from again before its maps move.</summary>
    [ConfigKey("failover_grace_ms"), Range(0, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int FailoverGraceMs { get; set; } = 15_000;

    [ConfigKey("overload_window_ms"), Range(100, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int OverloadWindowMs { get; set; } = 10_000;

    [ConfigKey("rebalance_cooldown_ms"), Range(100, 86_400_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int RebalanceCooldownMs { get; set; } = 60_000;

    [ConfigKey("recovery_margin_percent"), Range(0, 50, ErrorMessage = "must be between {1} and {2} percentage points")]
    public double RecoveryMarginPercent { get; set; } = 10;

    [ConfigKey("directory_refresh_ms"), Range(100, 60_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int DirectoryRefreshMs { get; set; } = 2000;

    /// <summary>Refuse host keys an operator has not approved (off: any player may volunteer a PC).</summary>
    [ConfigKey("require_approval")]
    public bool RequireApproval { get; set; }

    /// <summary>Distinct players reporting a host unreachable within suspect_window_ms that make it suspect: its maps move.</summary>
    [ConfigKey("suspect_reports"), Range(1, 1000, ErrorMessage = "must be between {1} and {2}")]
    public int SuspectReports { get; set; } = 3;

    [ConfigKey("suspect_window_ms"), Range(1000, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int SuspectWindowMs { get; set; } = 30_000;

    [ConfigKey("reminder_period_ms"), Range(1000, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ReminderPeriodMs { get; set; } = 60_000;
}
