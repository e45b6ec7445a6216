namespace P2PCluster.Grains;

/// <summary>Timing of failure detection and rebalancing (the silo fills it from p2p.conf's <c>distribution:</c>).</summary>
public sealed class DistributionOptions
{
    /// <summary>A connected host silent this long is declared dead and its maps move.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A dropped connection may come back within this long before its maps move.</summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A host grain re-activated after its silo died (or froze) keeps a host it has not heard from yet, maps and all, this
    /// long: the agent may still be waiting out the frozen silo's silence before it reconnects elsewhere.
    /// </summary>
    public TimeSpan FailoverGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A host over a limit this long sheds a map.</summary>
    public TimeSpan OverloadWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one shed per host per this long (no flapping).</summary>
    public TimeSpan RebalanceCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An overloaded host takes maps again only once this many percentage points under every limit.</summary>
    public double RecoveryMarginPercent { get; set; } = 10;

    /// <summary>How often a host refreshes its entry in the host directory (also on any status change).</summary>
    public TimeSpan DirectoryRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Only hosts an operator approved may connect (otherwise any key may volunteer).</summary>
    public bool RequireApproval { get; set; }

    /// <summary>Distinct players reporting a host unreachable within <see cref="SuspectWindow"/> that make it suspect (its maps move).</summary>
    public int SuspectReports { get; set; } = 3;

    /// <summary>How far back unreachable reports count.</summary>
    public TimeSpan SuspectWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Backstop reminder for hosts and unplaced maps when the silo holding them dies (Orleans minimum: ReminderOptions).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
