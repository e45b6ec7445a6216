namespace P2PCluster.Chaos;

/// <summary>
/// How long each timed fault lasts. The short form (default; part of the test command and CI) shortens the faults
/// that only wait; <c>P2PTEST_CHAOS_LONG=1</c> runs issue 11's durations. Both are in docs/reliability.md.
/// </summary>
public static class ChaosDurations
{
    public const string LongVariable = "P2PTEST_CHAOS_LONG";

    public static bool Long { get; } = Environment.GetEnvironmentVariable(LongVariable) is "1" or "true";

    /// <summary>
    /// distribution.heartbeat_timeout_ms of the chaos cluster: the shipped default, so that a test machine busy with
    /// other work does not pass for a dead host.
    /// </summary>
    public const int HeartbeatTimeoutMs = 3000;

    /// <summary>
    /// accounts.ticket_lifetime_ms of the chaos cluster. A player abandoned between RESOLVE and ENTER leaves its ticket
    /// outstanding until it expires, and its session is Moving till then: shorter than the shipped 60 s so that the
    /// sessions settle soon after the players left (<see cref="StateInvariants.Settle"/>).
    /// </summary>
    public const int TicketLifetimeMs = 20_000;

    /// <summary>How long MariaDB stays down between its SIGTERM or kill -9 and its restart.</summary>
    public static TimeSpan DatabaseDown => TimeSpan.FromSeconds(Long ? 15 : 5);

    public static TimeSpan WritesBlocked => TimeSpan.FromSeconds(Long ? 30 : 10);
    public static TimeSpan SiloFrozen => TimeSpan.FromSeconds(Long ? 20 : 10);
    public static TimeSpan AgentFrozen => TimeSpan.FromSeconds(Long ? 10 : 5);

    /// <summary>Longer than the heartbeat timeout (2× in the short form).</summary>
    public static TimeSpan Partition => TimeSpan.FromMilliseconds(Long ? 10_000 : 2 * HeartbeatTimeoutMs);

    public static string Form => Long ? "long" : "short";
}
