using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>DB_LOAD_CHAR → DB_CHAR: the character's saved row, for the host that runs its map with the character on it.</summary>
public sealed class DbLoadCharHandler : DbRequestHandler<DbLoadCharPacket>
{
    protected override ValueTask<bool> Start(DbRequests db, DbLoadCharPacket load) =>
        db.StartAsync(PacketId.DbLoadChar, load.RequestId, load.CharId,
            async () => await db.Session(load.CharId).LoadCharacterAsync(db.HostId, load.Map, (long)load.Epoch));
}
