namespace P2PCluster.Grains.Interfaces;

/// <summary>One character's session, keyed by rAthena char id. Illegal transitions fail with <see cref="ClusterError.InvalidTransition"/>.</summary>
[Alias("p2p.IPlayerSessionGrain")]
public interface IPlayerSessionGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the session's state.</summary>
    [Alias("GetAsync")]
    Task<SessionInfo> GetAsync();

    /// <summary>
    /// Starts resolving a map for the character on behalf of <paramref name="accountId"/>. A character belongs to one
    /// account for good: another account fails with <see cref="ClusterError.IdentityMismatch"/>.
    /// </summary>
    [Alias("BeginResolveAsync")]
    Task<SessionInfo> BeginResolveAsync(int accountId, string map);

    /// <summary>The character arrived on <paramref name="map"/>, hosted by <paramref name="hostId"/> under <paramref name="epoch"/>.</summary>
    [Alias("EnterMapAsync")]
    Task<SessionInfo> EnterMapAsync(string map, string hostId, long epoch);

    /// <summary>The character leaves its map for <paramref name="targetMap"/>.</summary>
    [Alias("BeginMoveAsync")]
    Task<SessionInfo> BeginMoveAsync(string targetMap);

    /// <summary>
    /// A resolve or move did not complete: the character goes back to the map it was on, or offline if it had none,
    /// so it is never left half-way (rAthena #3894).
    /// </summary>
    [Alias("FailMoveAsync")]
    Task<SessionInfo> FailMoveAsync();

    /// <summary>The character logged out or its connection ended.</summary>
    [Alias("LogoutAsync")]
    Task<SessionInfo> LogoutAsync();
}
