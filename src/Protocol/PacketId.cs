namespace P2PCluster.Protocol;

/// <summary>
/// Packet ids of the coordinator protocol. All live in 0x5000–0x54FF, a block no rAthena client packet
/// (≤ 0x0C00-range) or inter-server packet (0x2700–0x3FFF) uses: 0x50xx session and handshake, 0x51xx host agent,
/// 0x52xx game client, 0x53xx database proxy, 0x54xx a player at a host's map instance. docs/protocol.md has every layout.
/// </summary>
public enum PacketId : ushort
{
    Hello = 0x5000,
    ServerHello = 0x5001,
    Identify = 0x5002,
    Welcome = 0x5003,
    Error = 0x5004,
    Ping = 0x5005,
    Pong = 0x5006,
    Rekey = 0x5007,
    Bye = 0x5008,
    KeySet = 0x5009,

    // 0x51xx: host agents.
    HostCapacity = 0x5100,
    Heartbeat = 0x5101,
    HeartbeatAck = 0x5102,
    AssignMap = 0x5103,
    RevokeMap = 0x5104,
    MapState = 0x5105,
    ClaimTicket = 0x5106,
    ClaimResult = 0x5107,
    MovePlayer = 0x5108,
    MoveResult = 0x5109,
    PlayerLeft = 0x510A,

    // 0x52xx: game clients (and launchers) at the coordinator.
    Login = 0x5200,
    LoginOk = 0x5201,
    Resolve = 0x5202,
    Route = 0x5203,
    Refused = 0x5204,
    ReportUnreachable = 0x5205,
    LatencyReport = 0x5206,

    // 0x53xx: host agents at the database proxy (coordinator.db_proxy_port). 0x5310–0x533F are kept for inventory
    // and storage operations.
    DbLoadChar = 0x5300,
    DbChar = 0x5301,
    DbSaveChar = 0x5302,
    DbResult = 0x5303,
    DbSetOnline = 0x5304,

    // 0x54xx: players at a host's map instance (plain framing, no handshake; the ticket is the credential).
    Enter = 0x5400,
    Entered = 0x5401,
    Move = 0x5402,
    WarpRequest = 0x5403,

    /// <summary>An encrypted frame; its plaintext is another frame.</summary>
    Sealed = 0x50FF,
}

public static class PacketIds
{
    /// <summary>Whether <paramref name="id"/> is a packet this protocol version defines (checked before a body is buffered).</summary>
    public static bool IsDefined(ushort id) => Enum.IsDefined((PacketId)id);
}
