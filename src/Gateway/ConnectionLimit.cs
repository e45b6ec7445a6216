namespace P2PCluster.Gateway;

/// <summary>Which connection limit turned a peer away with ServerBusy (docs/protocol.md §9).</summary>
public enum ConnectionLimit
{
    /// <summary><c>coordinator.max_connections</c>: every place is taken.</summary>
    MaxConnections,

    /// <summary><c>coordinator.max_connections_per_address</c>: the source address holds its quota.</summary>
    PerAddress,

    /// <summary><c>coordinator.host_reserve_percent</c>: a game client or tool found only places reserved for host agents.</summary>
    HostReserve,
}
