using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// What every built-in instance of one agent shares to admit players: one ticket verifier (so one replay memory for
/// the whole host), the coordinator claim, the refusal counts, how long a new connection has to send ENTER, and the
/// database proxy the players' characters are loaded from and saved to, and the lease every instance checks before it
/// admits a player or handles a player's packet.
/// </summary>
public sealed record PlayerAdmission(TicketVerifier Verifier, ITicketClaimer Claimer, AdmissionMetrics Metrics)
{
    public static readonly TimeSpan DefaultEnterDeadline = TimeSpan.FromSeconds(5);

    /// <summary>A connection that has not sent a complete first frame this long after it was accepted is refused (HandshakeTimeout).</summary>
    public TimeSpan EnterDeadline { get; init; } = DefaultEnterDeadline;

    /// <summary>Where players' characters are loaded and saved (the agent's database proxy connection); null saves nothing (tests of admission alone).</summary>
    public ICharacterDatabase? Database { get; init; }

    /// <summary>The agent's lease (docs/placement.md, "Leases"); null checks none (tests of admission alone).</summary>
    public ILeaseCheck? Lease { get; init; }

    /// <summary>After an ERROR, how long the instance waits for the player to close before it closes itself.</summary>
    public TimeSpan CloseGrace { get; init; } = TimeSpan.FromSeconds(1);
}
