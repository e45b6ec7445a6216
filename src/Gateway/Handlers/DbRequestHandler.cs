using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>A database proxy request (DB_LOAD_CHAR, DB_SAVE_CHAR, DB_SET_ONLINE): started at once, answered when it commits.</summary>
public abstract class DbRequestHandler<TPacket>() : PacketHandler<TPacket>(SessionRole.DatabaseProxy, $"malformed database request 0x{(ushort)TPacket.Id:X4}")
    where TPacket : IPacket<TPacket>
{
    protected sealed override ValueTask<bool> HandleAsync(GatewaySession session, TPacket packet) => Start(session.Db!, packet);

    /// <summary>Starts the request on <paramref name="db"/> (<see cref="DbRequests.StartAsync"/>).</summary>
    protected abstract ValueTask<bool> Start(DbRequests db, TPacket packet);
}
