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

    /// <summary>All known hosts, for operators.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<HostCandidate>> ListAsync();
}
