namespace P2PCluster.Grains;

/// <summary>
/// How far a player session's memory is ahead of its storage. A RESOLVE's ticket is kept in memory only: its write
/// guarded nothing the claim's does not. The claim is written (and fenced by the map's epoch), so a ticket is used
/// once; a silo death that loses an unwritten ticket only makes its claim answer TicketUsed, and the client resolves
/// again as after an expiry (docs/benchmarks.md, "a RESOLVE's ticket is not written"). Two cases still write: a RESOLVE
/// replacing a ticket storage holds (a warp's: a silo death would revive it) and a deactivation with a ticket
/// outstanding. An unwritten ticket that lapses goes back to what storage holds, without a write.
/// </summary>
public sealed class UnwrittenTicket
{
    private PlayerSessionState? _stored; // what storage holds while memory is ahead of it

    /// <summary>Storage holds an outstanding ticket (a warp's): replacing it must be written.</summary>
    public bool StoredTicket { get; private set; }

    /// <summary>Memory holds a ticket storage does not.</summary>
    public bool Outstanding => _stored is not null;

    /// <summary>Storage holds <paramref name="stored"/> (read at activation, or just written).</summary>
    public void Stored(PlayerSessionState stored)
    {
        StoredTicket = stored.Pending is not null;
        _stored = null;
    }

    /// <summary>A RESOLVE is about to change <paramref name="current"/> in memory only: what storage holds is kept, once.</summary>
    public void Issuing(PlayerSessionState current) => _stored ??= current.Copy();

    /// <summary>What storage holds if memory is ahead of it (then memory goes back to it); null when nothing is unwritten.</summary>
    public PlayerSessionState? TakeStored()
    {
        var stored = _stored;
        _stored = null;
        return stored;
    }
}
