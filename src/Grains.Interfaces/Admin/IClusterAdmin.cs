namespace P2PCluster.Grains.Interfaces.Admin;

/// <summary>
/// The operator's view of the cluster and the actions on it, behind the admin API (/api/v1). Implemented in the silo
/// over the grains (src/Grains/Admin/ClusterAdmin.cs). Reads return null for an unknown host or map (the API answers
/// 404); operate calls throw <see cref="ClusterException"/> with <see cref="ClusterError.NotFound"/> for an unknown
/// target and <see cref="ClusterError.InvalidArgument"/> naming the field for bad input. Every operate call is
/// idempotent: repeating it answers <c>Changed: false</c> and changes nothing.
/// </summary>
public interface IClusterAdmin
{
    Task<ClusterSummary> SummaryAsync(CancellationToken cancellationToken = default);

    Task<HostPage> ListHostsAsync(HostQuery query, CancellationToken cancellationToken = default);

    Task<HostDetail?> GetHostAsync(string hostId, CancellationToken cancellationToken = default);

    /// <summary>Every known map (configured or ever placed), by name.</summary>
    Task<IReadOnlyList<MapSummary>> ListMapsAsync(CancellationToken cancellationToken = default);

    Task<MapDetail?> GetMapAsync(string map, CancellationToken cancellationToken = default);

    /// <summary>Sessions of an account's characters, of one character id, or of a character name (exactly one given).</summary>
    Task<IReadOnlyList<SessionDetail>> FindSessionsAsync(int? accountId, int? charId, string? name, CancellationToken cancellationToken = default);

    Task<AdminResult> ApproveHostAsync(string hostId, bool approved, CancellationToken cancellationToken = default);

    /// <summary>A ban closes the host's connection, moves its maps and refuses reconnects; unban lifts it.</summary>
    Task<AdminResult> BanHostAsync(string hostId, bool banned, CancellationToken cancellationToken = default);

    /// <summary>
    /// A restore's standing (p2p-control --restore-state): approved and banned as given, for a host the cluster may
    /// never have seen (unlike <see cref="ApproveHostAsync"/>, which answers NotFound for one). A ban first and an unban
    /// last, so the host never gets in between the two changes.
    /// </summary>
    Task<AdminResult> SetHostStandingAsync(string hostId, bool approved, bool banned, CancellationToken cancellationToken = default);

    /// <summary>Drain: maps moved (placed again under new epochs), no new maps. Undrain: the host takes maps again.</summary>
    Task<AdminResult> DrainHostAsync(string hostId, bool draining, CancellationToken cancellationToken = default);

    /// <summary>Moves a map to the named host, or to the best VPS host when <paramref name="toHost"/> is null.</summary>
    Task<AdminResult> MoveMapAsync(string map, string? toHost, CancellationToken cancellationToken = default);

    /// <summary>Changes a map's policy at run time; persisted, and it outlives restarts over the configured one.</summary>
    Task<AdminResult> SetMapPolicyAsync(string map, MapPolicyPatch patch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Disable: the map leaves its host and is never placed (players' resolves are refused with MapUnavailable) until
    /// enabled. Enable: it is placed again. Persisted; it outlives restarts.
    /// </summary>
    Task<AdminResult> SetMapDisabledAsync(string map, bool disabled, CancellationToken cancellationToken = default);

    /// <summary>Every map on a P2P host moves to VPS; P2P placement pauses until <see cref="ResumeP2PAsync"/>.</summary>
    Task<AdminResult> EmergencyFailoverAsync(string operatorName, CancellationToken cancellationToken = default);

    Task<AdminResult> ResumeP2PAsync(CancellationToken cancellationToken = default);

    /// <summary>Every assignment revoked with a new epoch; the maps are placed again.</summary>
    Task<AdminResult> ResetNetworkAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends a character's session: its host is told to save and drop the player; the session goes offline.</summary>
    Task<AdminResult> EndSessionAsync(int charId, CancellationToken cancellationToken = default);
}
