namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// The placement view of all live hosts (key 0). Host grains keep their entries fresh; nothing here is persisted —
/// after a silo death it refills from the next heartbeats. Maps that found no host wait here for one.
/// </summary>
[Alias("p2p.IHostDirectoryGrain")]
public interface IHostDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes a host. A host that starts accepting maps wakes the maps waiting for one.</summary>
    [Alias("UpsertAsync")]
    Task UpsertAsync(HostCandidate candidate);

    /// <summary>Forgets a host (dead, banned, gone).</summary>
    [Alias("RemoveAsync")]
    Task RemoveAsync(string hostId);

    /// <summary>
    /// Picks the best eligible host for <paramref name="map"/> under <paramref name="policy"/>, never
    /// <paramref name="excludeHost"/>: P2P hosts scoring at least the policy's minimum first, else VPS hosts.
    /// Null when no host qualifies; the map is then remembered and woken when one appears.
    /// </summary>
    [Alias("PlaceAsync")]
    Task<PlacementDecision?> PlaceAsync(string map, MapPolicy policy, string? excludeHost, string reason);

    /// <summary>All live hosts (the ones placement may consider), for the cluster-state grain.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<HostCandidate>> ListAsync();

    /// <summary>
    /// A host is no longer live (offline, banned): out of placement, but remembered for operators' host list with its
    /// last known kind, endpoint and <see cref="HostCandidate.Status"/>, in memory only and bounded.
    /// </summary>
    [Alias("LeftAsync")]
    Task LeftAsync(HostCandidate host);

    /// <summary>
    /// Operators' host list, whole: live hosts by placement score, best first, then hosts that left (no score), at
    /// most one second old (rebuilt at once when a host joins, leaves or changes status). Each silo's admin API keeps
    /// the last one it fetched and pages it itself, so a page never waits behind the directory's heartbeat upserts.
    /// </summary>
    [Alias("ViewAsync")]
    Task<Orleans.Concurrency.Immutable<Admin.HostSummary[]>> ViewAsync();

    /// <summary>One host as the directory knows it (live or left since the directory started), or null.</summary>
    [Alias("FindAsync")]
    Task<Admin.HostSummary?> FindAsync(string hostId);

    /// <summary>
    /// An operator's choice: the decision to place <paramref name="map"/> on <paramref name="hostId"/>, scored as
    /// placement would. Throws <see cref="ClusterError.InvalidArgument"/> when the host is not live, draining or full,
    /// and <see cref="ClusterError.PolicyViolation"/> when the policy (or a P2P pause) forbids it; the message says why.
    /// </summary>
    [Alias("PlaceOnAsync")]
    Task<PlacementDecision> PlaceOnAsync(string map, MapPolicy policy, string hostId, string? fromHost, string reason);

    /// <summary>
    /// Places <paramref name="map"/> again, moving it off <paramref name="fromHost"/>: that host's slot is counted free
    /// first, then placement runs as <see cref="PlaceAsync"/> (excluding <paramref name="fromHost"/> unless
    /// <paramref name="mayStay"/>). Null when no host qualifies.
    /// </summary>
    [Alias("ReplaceAsync")]
    Task<PlacementDecision?> ReplaceAsync(string map, MapPolicy policy, string fromHost, bool mayStay, string reason);

    /// <summary>Emergency failover: while paused, placement never picks a P2P host. Wakes waiting maps on resume.</summary>
    [Alias("SetP2PPausedAsync")]
    Task SetP2PPausedAsync(bool paused);

    /// <summary>Records a committed placement (with its epoch) for operators' "recent placements" (bounded, in memory).</summary>
    [Alias("RecordAsync")]
    [Orleans.Concurrency.OneWay]
    Task RecordAsync(Admin.PlacementRecord record);

    /// <summary>The most recent placements onto <paramref name="hostId"/> (newest first, at most <paramref name="limit"/>).</summary>
    [Alias("RecentAsync")]
    Task<IReadOnlyList<Admin.PlacementRecord>> RecentAsync(string hostId, int limit);
}
