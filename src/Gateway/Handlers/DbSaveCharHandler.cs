using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>DB_SAVE_CHAR → DB_RESULT: a checked, idempotent save of the character's row.</summary>
public sealed class DbSaveCharHandler : DbRequestHandler<DbSaveCharPacket>
{
    protected override ValueTask<bool> Start(DbRequests db, DbSaveCharPacket save)
    {
        var data = CharacterWire.FromRecord(save.Record);
        return db.StartAsync(PacketId.DbSaveChar, save.RequestId, save.CharId,
            async () => await db.Session(save.CharId).SaveCharacterAsync(db.HostId, save.Map, (long)save.Epoch, (long)save.ExpectedVersion, save.Key, data));
    }
}
