namespace P2PCluster.Grains.Interfaces;

/// <summary>One character's session, keyed by rAthena char id. Illegal transitions fail with <see cref="ClusterError.InvalidTransition"/>.</summary>
[Alias("p2p.IPlayerSessionGrain")]
public partial interface IPlayerSessionGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the session's state.</summary>
    [Alias("GetAsync")]
    Task<SessionInfo> GetAsync();

    /// <summary>
    /// Grants <paramref name="accountId"/>'s character a ticket onto <paramref name="map"/>: the character's last map
    /// when it is offline, its destination while resolving or moving, or its current map again (the host became
    /// unreachable, or the client reconnects). Replaces any earlier ticket. Fails with
    /// <see cref="ClusterError.NotFound"/> (no such character), <see cref="ClusterError.IdentityMismatch"/> (another
    /// account's character), <see cref="ClusterError.InvalidTransition"/> (not a map the character may go to now) or
    /// <see cref="ClusterError.MapUnavailable"/> (no host runs the map right now).
    /// </summary>
    [Alias("RequestTicketAsync")]
    Task<TicketGrant> RequestTicketAsync(int accountId, string map);

    /// <summary>
    /// <paramref name="hostId"/> admitted the character with the ticket <paramref name="nonce"/>: once only, while the
    /// ticket is valid and the host still holds the map under <paramref name="epoch"/>. The character is then on the
    /// map. Fails with <see cref="ClusterError.TicketUsed"/>, <see cref="ClusterError.TicketExpired"/>,
    /// <see cref="ClusterError.IdentityMismatch"/> (a ticket for another host) or <see cref="ClusterError.StaleEpoch"/>.
    /// </summary>
    [Alias("ClaimTicketAsync")]
    Task<SessionInfo> ClaimTicketAsync(string hostId, string map, long epoch, byte[] nonce);

    /// <summary>
    /// <paramref name="hostId"/>, holding <paramref name="fromMap"/> under <paramref name="epoch"/> with the character on
    /// it, sends the character to <paramref name="toMap"/>: <paramref name="saved"/> is stored first, then a ticket for
    /// the destination is granted (as <see cref="RequestTicketAsync"/>). A deposed host gets
    /// <see cref="ClusterError.StaleEpoch"/>; a host the character is not on, <see cref="ClusterError.InvalidTransition"/>;
    /// a destination no host runs, <see cref="ClusterError.MapUnavailable"/> (the character stays, its state saved).
    /// </summary>
    [Alias("MoveAsync")]
    Task<TicketGrant> MoveAsync(string hostId, string fromMap, long epoch, string toMap, CharacterSnapshot saved);

    /// <summary>
    /// <paramref name="hostId"/> reports that the character left <paramref name="map"/> (admitted under
    /// <paramref name="epoch"/>) without moving on: it goes offline, its saved state kept. Ignored when the character is
    /// no longer there (it moved, or another host has it since), so a late report cannot undo a newer move.
    /// </summary>
    [Alias("LeftAsync")]
    Task<SessionInfo> LeftAsync(string hostId, string map, long epoch);

    /// <summary>The character logged out or its connection ended.</summary>
    [Alias("LogoutAsync")]
    Task<SessionInfo> LogoutAsync();

    /// <summary>
    /// Database proxy: the character's saved row, for <paramref name="hostId"/>, which must run <paramref name="map"/>
    /// under the map's current <paramref name="epoch"/> (else <see cref="ClusterError.StaleEpoch"/>) and have the
    /// character on it (else <see cref="ClusterError.NotOnMap"/>).
    /// </summary>
    [Alias("LoadCharacterAsync")]
    Task<CharacterLoad> LoadCharacterAsync(string hostId, string map, long epoch);

    /// <summary>
    /// Database proxy: saves <paramref name="data"/> once committed, and returns the character's new version. Checked,
    /// in order: the host holds the map at the current epoch (<see cref="ClusterError.StaleEpoch"/>), the character is on
    /// it (<see cref="ClusterError.NotOnMap"/>), <paramref name="key"/> was not applied before (a retry gets the version
    /// it produced), <paramref name="expectedVersion"/> is current (<see cref="ClusterError.VersionConflict"/>), values
    /// within bounds (<see cref="ClusterError.OutOfBounds"/>), gains plausible (<see cref="ClusterError.ImplausibleDelta"/>).
    /// Every refusal is audited and counts against the host.
    /// </summary>
    [Alias("SaveCharacterAsync")]
    Task<long> SaveCharacterAsync(string hostId, string map, long epoch, long expectedVersion, byte[] key, CharacterSnapshot data);

    /// <summary>Database proxy: sets rAthena's <c>char.online</c>; the same checks as a save but for the values.</summary>
    [Alias("SetOnlineAsync")]
    Task<long> SetOnlineAsync(string hostId, string map, long epoch, bool online, byte[] key);
}
