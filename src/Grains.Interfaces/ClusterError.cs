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
}
