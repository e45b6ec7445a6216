using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Persisted state of a <see cref="PlayerSessionGrain"/>.</summary>
[GenerateSerializer, Alias("p2p.PlayerSessionState.v1")]
public sealed class PlayerSessionState
{
    [Id(0)] public int AccountId { get; set; }
    [Id(1)] public SessionState State { get; set; } = SessionState.Offline;
    [Id(2)] public string? Map { get; set; }
    [Id(3)] public string? HostId { get; set; }
    [Id(4)] public long Epoch { get; set; }
    [Id(5)] public string? TargetMap { get; set; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The one ticket the character may use now (null: none outstanding); a newer ticket replaces it.</summary>
    [Id(7)] public PendingTicket? Pending { get; set; }

    /// <summary>
    /// Position and progress as last saved by a host (or the character's row at first login). Hosts hand on only the
    /// carried columns (the wire's <c>character_state</c>): after a move the row's other columns here are 0.
    /// </summary>
    [Id(8)] public CharacterSnapshot? Character { get; set; }

    /// <summary>
    /// The map whose cell <see cref="Character"/>'s X and Y name; set together with it, never apart. Null in states
    /// stored before it existed: their position is then taken from the character's row.
    /// </summary>
    [Id(9)] public string? CharacterMap { get; set; }

    /// <summary>
    /// Set when the character left a map and rAthena's row has not been told yet: <c>online</c> = 0 and the place
    /// (<c>last_map</c>, <c>last_x</c>, <c>last_y</c>) = this session's. Cleared once that write commits.
    /// </summary>
    [Id(10)] public bool RowPending { get; set; }

    /// <summary>The idempotency key of that row write, the same for every retry of it.</summary>
    [Id(11)] public byte[]? RowKey { get; set; }

    /// <summary>While moving away from a map: where the character stood on it, where it goes back to if the move fails.</summary>
    [Id(12)] public CharacterPlace? Departure { get; set; }

    /// <summary>A copy whose members are the same (immutable) values: what a failed write restores.</summary>
    public PlayerSessionState Copy() => (PlayerSessionState)MemberwiseClone();
}

/// <summary>
/// An issued, unclaimed ticket: its nonce, what it admits to, and (to hand the same ticket out again) when it was
/// issued and the map instance's port it routes to. Tickets stored before those two fields read as default: never reused.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.PendingTicket.v1")]
public sealed record PendingTicket(
    [property: Id(0)] byte[] Nonce,
    [property: Id(1)] string Map,
    [property: Id(2)] string HostId,
    [property: Id(3)] long Epoch,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] DateTimeOffset IssuedAt = default,
    [property: Id(6)] int Port = 0);
