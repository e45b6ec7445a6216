namespace P2PCluster.LoadTool;

/// <summary>
/// The verifying host's clock in the <c>tickets</c> scenario: set to each ticket's issue time before it is verified,
/// so pre-signed tickets are on time whenever they are measured, and the replay memory forgets them at the pace of
/// ticket time (one ticket per step), not of the wall clock.
/// </summary>
public sealed class TicketClock : TimeProvider
{
    public long NowMs { get; set; }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
