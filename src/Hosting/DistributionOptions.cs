using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>distribution:</c> failure detection and rebalancing timing (docs/placement.md). Bound from p2p.conf and handed to
/// the grains as it is: each default is written here, once. The keys are milliseconds; the grains read the
/// <see cref="TimeSpan"/> views.
/// </summary>
[ConfigSection("distribution")]
public sealed class DistributionOptions
{
    [ConfigKey("heartbeat_timeout_ms"), Range(200, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int HeartbeatTimeoutMs { get; set; } = 3000;

    [ConfigKey("reconnect_grace_ms"), Range(0, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ReconnectGraceMs { get; set; } = 500;

    [ConfigKey("failover_grace_ms"), Range(0, 600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int FailoverGraceMs { get; set; } = 15_000;

    [ConfigKey("overload_window_ms"), Range(100, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int OverloadWindowMs { get; set; } = 10_000;

    [ConfigKey("rebalance_cooldown_ms"), Range(100, 86_400_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int RebalanceCooldownMs { get; set; } = 60_000;

    /// <summary>An overloaded host takes maps again only once this many percentage points under every limit.</summary>
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

    /// <summary>A connected host silent this long is declared dead and its maps move.</summary>
    public TimeSpan HeartbeatTimeout => TimeSpan.FromMilliseconds(HeartbeatTimeoutMs);

    /// <summary>A dropped connection may come back within this long before its maps move.</summary>
    public TimeSpan ReconnectGrace => TimeSpan.FromMilliseconds(ReconnectGraceMs);

    /// <summary>
    /// A host grain re-activated after its silo died (or froze) keeps a host it has not heard from yet, maps and all, this
    /// long: the agent may still be waiting out the frozen silo's silence before it reconnects elsewhere.
    /// </summary>
    public TimeSpan FailoverGrace => TimeSpan.FromMilliseconds(FailoverGraceMs);

    /// <summary>A host over a limit this long sheds a map.</summary>
    public TimeSpan OverloadWindow => TimeSpan.FromMilliseconds(OverloadWindowMs);

    /// <summary>At most one shed per host per this long (no flapping).</summary>
    public TimeSpan RebalanceCooldown => TimeSpan.FromMilliseconds(RebalanceCooldownMs);

    /// <summary>How often a host refreshes its entry in the host directory (also on any status change).</summary>
    public TimeSpan DirectoryRefresh => TimeSpan.FromMilliseconds(DirectoryRefreshMs);

    /// <summary>How far back unreachable reports count.</summary>
    public TimeSpan SuspectWindow => TimeSpan.FromMilliseconds(SuspectWindowMs);

    /// <summary>Backstop reminder for hosts and unplaced maps when the silo holding them dies (Orleans minimum: ReminderOptions).</summary>
    public TimeSpan ReminderPeriod => TimeSpan.FromMilliseconds(ReminderPeriodMs);
}
