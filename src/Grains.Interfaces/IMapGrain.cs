using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>One rAthena map, keyed by its map name (e.g. <c>prontera</c>): its policy and its fenced assignment.</summary>
[Alias("p2p.IMapGrain")]
public partial interface IMapGrain : IGrainWithStringKey
{
    /// <summary>Returns the map's policy, status and current assignment.</summary>
    [Alias("GetAsync")]
    [Orleans.Concurrency.ReadOnly]
    Task<MapInfo> GetAsync();

    /// <summary>Replaces the map's policy. Rejects a policy its current host no longer satisfies with <see cref="ClusterError.PolicyViolation"/>.</summary>
    [Alias("SetPolicyAsync")]
    Task SetPolicyAsync(MapPolicy policy);

    /// <summary>Throws <see cref="ClusterError.StaleEpoch"/> unless <paramref name="hostId"/> holds the map under <paramref name="epoch"/>.</summary>
    [Alias("CheckEpochAsync")]
    [Orleans.Concurrency.ReadOnly]
    Task CheckEpochAsync(string hostId, long epoch);

    /// <summary>Places the map if it has no host (no-op if assigned or disabled); a map no host qualifies for waits, visibly unassigned.</summary>
    [Alias("EnsurePlacedAsync")]
    Task EnsurePlacedAsync(string reason);

    /// <summary>
    /// The host holding the map under <paramref name="epoch"/> is gone or gives the map up: place it on another host
    /// (new epoch) or leave it unassigned. Ignored unless that host still holds that epoch. Never calls back the old host.
    /// </summary>
    [Alias("HostLostAsync")]
    Task HostLostAsync(string hostId, long epoch, RevocationReason reason);

    /// <summary>
    /// The host's map instance changed state; ignored (false) unless it holds the current epoch. Reports may arrive
    /// out of order or twice (they are forwarded without waiting, and resent until confirmed): within an epoch only a
    /// <paramref name="sequence"/> above the last one applied changes anything; an older one is confirmed (true) and ignored.
    /// </summary>
    [Alias("InstanceStateAsync")]
    Task<bool> InstanceStateAsync(string hostId, long epoch, MapInstanceState state, int port, long sequence);

    /// <summary>
    /// Operator action: takes the map out of service (durably, then its host is told to stop it; players' resolves are
    /// refused with <see cref="ClusterError.MapUnavailable"/> until it is enabled), or puts it back and places it.
    /// No change when it is so already. A disabled map stays disabled over restarts and is never placed.
    /// </summary>
    [Alias("SetDisabledAsync")]
    Task<Admin.AdminResult> SetDisabledAsync(bool disabled);

    /// <summary>Map detail for operators: summary, configured and effective policy, assignment and placement history.</summary>
    [Alias("GetDetailAsync")]
    [Orleans.Concurrency.ReadOnly]
    Task<Admin.MapDetail> GetDetailAsync();

    /// <summary>
    /// Operator move: to <paramref name="toHost"/>, or to the best VPS host when null. A new epoch is made durable,
    /// then the old host is told to stop the map and the new one to start it. No change when it is there already.
    /// </summary>
    [Alias("MoveToAsync")]
    Task<Admin.AdminResult> MoveToAsync(string? toHost, string reason);

    /// <summary>
    /// Operator policy override (only the given fields), persisted apart from the configured policy so that a restart
    /// that re-applies the configuration keeps it. A map whose host the new policy forbids moves (to VPS, or waits).
    /// </summary>
    [Alias("PatchPolicyAsync")]
    Task<Admin.AdminResult> PatchPolicyAsync(Admin.MapPolicyPatch patch);

    /// <summary>
    /// Network reset number <paramref name="generation"/>: an assignment made before it is revoked with a new epoch and
    /// the map placed again (possibly on the same host); nothing happens when this generation's reset already did it.
    /// </summary>
    [Alias("ResetAsync")]
    Task<Admin.AdminResult> ResetAsync(long generation);

    /// <summary>Whether this map was reset by <paramref name="generation"/> and not reassigned since.</summary>
    [Alias("IsResetAsync")]
    [Orleans.Concurrency.ReadOnly]
    Task<bool> IsResetAsync(long generation);
}
