using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>DB_SET_ONLINE → DB_RESULT: rAthena's <c>char.online</c>, with the same checks as a save.</summary>
public sealed class DbSetOnlineHandler : DbRequestHandler<DbSetOnlinePacket>
{
    protected override ValueTask<bool> Start(DbRequests db, DbSetOnlinePacket online) =>
        db.StartAsync(PacketId.DbSetOnline, online.RequestId, online.CharId,
            async () => await db.Session(online.CharId).SetOnlineAsync(db.HostId, online.Map, (long)online.Epoch, online.Online, online.Key));
}
