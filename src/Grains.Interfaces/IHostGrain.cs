namespace P2PCluster.Grains.Interfaces;

/// <summary>One host node (player PC or VPS), keyed by its host id.</summary>
[Alias("p2p.IHostGrain")]
public interface IHostGrain : IGrainWithStringKey
{
    /// <summary>Returns the host's identity, status, maps and reliability history.</summary>
    [Alias("GetAsync")]
    [Orleans.Concurrency.ReadOnly]
    Task<HostInfo> GetAsync();

    /// <summary>
    /// Records a connection: the first registration binds the public key to the host id for good; a later one with
    /// another key fails with <see cref="ClusterError.IdentityMismatch"/>, a banned host with <see cref="ClusterError.HostBanned"/>.
    /// The host is then online and a new reliability session begins.
    /// </summary>
    [Alias("ConnectAsync")]
    Task<HostInfo> ConnectAsync(HostRegistration registration);

    /// <summary>
    /// Marks the host offline and closes its reliability session; <paramref name="failure"/> counts against it.
    /// Ignored when <paramref name="connection"/> names a session other than the one the host registered through last.
    /// </summary>
    [Alias("DisconnectAsync")]
    Task DisconnectAsync(bool failure, string? reason, Guid connection = default);

    /// <summary>The map grain gave the host <paramref name="map"/> under <paramref name="epoch"/>: record it and tell the host (ASSIGN_MAP).</summary>
    [Alias("AddMapAsync")]
    Task AddMapAsync(string map, long epoch, int maxPlayers = 100);

    /// <summary>Forgets <paramref name="map"/> if held under <paramref name="epoch"/> or older, and tells the host to stop it (REVOKE_MAP).</summary>
    [Alias("RemoveMapAsync")]
    Task RemoveMapAsync(string map, long epoch, RevocationReason reason = RevocationReason.Reassigned);

    /// <summary>The host's capacity (HOST_CAPACITY), sent once per connection.</summary>
    [Alias("ReportCapacityAsync")]
    Task ReportCapacityAsync(HostCapacity capacity);

    /// <summary>
    /// A heartbeat: keeps the host alive, updates its load, and answers with fencing — maps it reports under an epoch
    /// it no longer holds are revoked. Never writes to storage.
    /// </summary>
    [Alias("HeartbeatAsync")]
    Task<HeartbeatReply> HeartbeatAsync(HostHeartbeat heartbeat);

    /// <summary>The host's instance of <paramref name="map"/> changed state (MAP_STATE); a stale epoch gets a revocation back.</summary>
    [Alias("MapStateAsync")]
    Task<MapRevocation?> MapStateAsync(string map, long epoch, MapInstanceState state, int port);

    /// <summary>
    /// Registers the live connection of an online host (idempotent; the gateway repeats it). Ignored unless the host
    /// is online, so a stale connection cannot attach after a disconnect, and unless <paramref name="session"/> is the
    /// session the host registered through last (<see cref="HostRegistration.Connection"/>).
    /// </summary>
    [Alias("AttachAsync")]
    Task AttachAsync(IHostConnection connection, Guid session = default);

    /// <summary>Operator action: approve the host's key (needed when <c>distribution.require_approval</c> is on), or withdraw approval.</summary>
    [Alias("SetApprovedAsync")]
    Task SetApprovedAsync(bool approved);

    /// <summary>Operator action: ban (disconnecting the host for good) or lift a ban.</summary>
    [Alias("SetBannedAsync")]
    Task SetBannedAsync(bool banned);

    /// <summary>Operator action: an online host stops taking maps (drain) or takes them again.</summary>
    [Alias("SetDrainingAsync")]
    Task SetDrainingAsync(bool draining);

    /// <summary>
    /// A player (<paramref name="accountId"/>) could not reach this host for <paramref name="map"/> under
    /// <paramref name="epoch"/>. True when the host no longer serves that map (it is gone, or the map moved on), or when
    /// this report made enough distinct players within the window for the host to be suspect: it then takes no new maps
    /// and its maps move. False: the cluster still counts the host as serving the map.
    /// </summary>
    [Alias("ReportUnreachableAsync")]
    Task<bool> ReportUnreachableAsync(int accountId, string map, long epoch);

    /// <summary>
    /// A player measured <paramref name="roundTripMs"/> to this host. The host keeps a moving average (in memory) that
    /// placement scores as latency; reports about a host that is not connected are ignored.
    /// </summary>
    [Alias("ReportLatencyAsync")]
    [Orleans.Concurrency.OneWay]
    Task ReportLatencyAsync(int roundTripMs);

    /// <summary>The database proxy refused a write from this host (<paramref name="reason"/>); it counts against its reliability.</summary>
    [Alias("ReportRejectedWriteAsync")]
    [Orleans.Concurrency.OneWay]
    Task ReportRejectedWriteAsync(ClusterError code, string reason);
}
