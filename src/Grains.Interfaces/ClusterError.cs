namespace P2PCluster.Grains.Interfaces;

/// <summary>Stable error codes raised by grains; the gateway maps them one to one onto error packets.</summary>
public enum ClusterError : ushort
{
    None = 0,
    InvalidArgument = 1,
    StaleEpoch = 2,
    PolicyViolation = 3,
    IdentityMismatch = 4,
    HostBanned = 5,
    InvalidTransition = 6,
    NotFound = 7,
    /// <summary>The host missed its heartbeats and was declared dead; its maps have moved.</summary>
    HostDeclaredDead = 8,
    /// <summary>The cluster requires operator approval of host keys and this one is not approved (yet).</summary>
    HostNotApproved = 9,
    /// <summary>Wrong user id or password (one code for both, so accounts cannot be probed).</summary>
    LoginFailed = 10,
    /// <summary>The account exists but may not log in (rAthena <c>login.state</c> is not 0).</summary>
    AccountBlocked = 11,
    /// <summary>No host runs the map right now: unassigned or starting (retry shortly), or disabled by an operator (until enabled).</summary>
    MapUnavailable = 12,
    /// <summary>The ticket is not the character's outstanding one: already claimed, replaced by a newer one, never issued, or lost with its silo before a claim.</summary>
    TicketUsed = 13,
    /// <summary>The ticket's validity ended before the host claimed it.</summary>
    TicketExpired = 14,
    /// <summary>The account or character database did not answer (or a batch of writes failed to commit); retry later.</summary>
    StoreUnavailable = 15,
    /// <summary>The database proxy refused a write: the character is not on a map the writing host runs under that epoch.</summary>
    NotOnMap = 16,
    /// <summary>The database proxy refused a write: a value is outside what rAthena can store or the game allows (coordinates off the map, a stat past its cap).</summary>
    OutOfBounds = 17,
    /// <summary>The database proxy refused a write: a value moved further since the last save than play could move it (experience, zeny, levels).</summary>
    ImplausibleDelta = 18,
    /// <summary>The character was saved by someone else since the writer read it: the write's expected version is not the stored one. Reload and retry.</summary>
    VersionConflict = 19,
}
