using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// What every built-in instance of one agent shares to admit players: one ticket verifier (so one replay memory for
/// the whole host), the coordinator claim, the refusal counts, and how long a new connection has to send ENTER.
/// </summary>
public sealed record PlayerAdmission(TicketVerifier Verifier, ITicketClaimer Claimer, AdmissionMetrics Metrics)
{
    public static readonly TimeSpan DefaultEnterDeadline = TimeSpan.FromSeconds(5);

    /// <summary>A connection that has not sent a complete first frame this long after it was accepted is refused (HandshakeTimeout).</summary>
    public TimeSpan EnterDeadline { get; init; } = DefaultEnterDeadline;

    /// <summary>After an ERROR, how long the instance waits for the player to close before it closes itself.</summary>
    public TimeSpan CloseGrace { get; init; } = TimeSpan.FromSeconds(1);
}
