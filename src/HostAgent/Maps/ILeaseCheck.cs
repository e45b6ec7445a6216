namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// The agent's right to serve its maps, as a map instance reads it before it admits a player or handles a player's
/// packet (docs/placement.md, "Leases"). Both reads are cheap: a clock read and a lock.
/// </summary>
public interface ILeaseCheck
{
    /// <summary>Whether the lease holds now.</summary>
    bool Valid { get; }

    /// <summary>
    /// Counts the times the lease was granted again after it had run out. An instance created under one term must not
    /// serve under the next: the coordinator may have given its map to another host in between.
    /// </summary>
    long Term { get; }
}
