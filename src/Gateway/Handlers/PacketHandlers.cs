using System.Collections.Frozen;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// Every packet an established session may send, by id, with the roles allowed to send it: built once. A new packet
/// is a codec, a handler and a grain method, listed here; nothing else in the gateway changes.
/// </summary>
public static class PacketHandlers
{
    private static readonly FrozenDictionary<ushort, IPacketHandler> ById = new IPacketHandler[]
    {
        new ByeHandler(), new PeerErrorHandler(),
        new HostCapacityHandler(), new HeartbeatHandler(), new MapStateHandler(),
        new ClaimTicketHandler(), new MovePlayerHandler(), new PlayerLeftHandler(),
        new LoginHandler(), new ResolveHandler(), new ReportUnreachableHandler(), new LatencyReportHandler(),
        new DbLoadCharHandler(), new DbSaveCharHandler(), new DbSetOnlineHandler(),
    }.ToFrozenDictionary(h => (ushort)h.Id);

    /// <summary>The handler of packet <paramref name="id"/> if <paramref name="role"/> may send it; null otherwise.</summary>
    public static IPacketHandler? For(ushort id, SessionRole role) =>
        ById.TryGetValue(id, out var handler) && (handler.Roles & role) != 0 ? handler : null;

    /// <summary>Every registered handler (tests check the table against docs/protocol.md).</summary>
    public static IEnumerable<IPacketHandler> All => ById.Values;
}
