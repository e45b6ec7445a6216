using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>A player session's record of what storage holds while a RESOLVE's ticket is kept in memory only.</summary>
public sealed class UnwrittenTicketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static PendingTicket Ticket(string map) => new(new byte[16], map, "host-a", 3, T0.AddSeconds(30), T0, 6900);

    [Fact]
    public void AnUnwrittenTicketKeepsWhatStorageHeldFromItsFirstResolveUntilALapseTakesItBack()
    {
        var ticket = new UnwrittenTicket();
        var s = new PlayerSessionState { State = SessionState.OnMap, Map = "prontera" };
        ticket.Stored(s);
        Assert.False(ticket.StoredTicket);

        ticket.Issuing(s);
        (s.State, s.Pending) = (SessionState.Moving, Ticket("geffen"));
        ticket.Issuing(s); // a second RESOLVE before any write: storage still holds the first state
        s.Pending = Ticket("payon");

        Assert.True(ticket.Outstanding);
        var stored = ticket.TakeStored();
        Assert.NotNull(stored);
        Assert.Equal((SessionState.OnMap, "prontera", (PendingTicket?)null), (stored.State, stored.Map, stored.Pending));
        Assert.False(ticket.Outstanding);
        Assert.Null(ticket.TakeStored());
    }

    [Fact]
    public void AWriteMakesMemoryWhatStorageHoldsAndRemembersAStoredTicket()
    {
        var ticket = new UnwrittenTicket();
        var s = new PlayerSessionState { State = SessionState.OnMap, Map = "prontera" };
        ticket.Issuing(s);
        s.Pending = Ticket("geffen");

        ticket.Stored(s); // a warp wrote the ticket with the character's progress

        Assert.False(ticket.Outstanding);
        Assert.True(ticket.StoredTicket); // the next RESOLVE replaces it with a write
    }
}
