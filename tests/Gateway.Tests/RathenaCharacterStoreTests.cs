using MySqlConnector;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Silo.Characters;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// The database proxy's character store on rAthena's <c>char</c> table and our p2p_* tables, connected as the
/// least-privilege coordinator user of sql/grants.sql + sql/grants_rathena.sql (a missing grant fails these tests).
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RathenaCharacterStoreTests(MariaDbFixture db)
{
    private const int Alice = 150000;
    private const int FirstBulk = 150100, BulkCount = 100;

    private static readonly CharacterSnapshot Seeded = Row(156, 191, 12, 5, 1234, 56, 7890, 5, 6, 7, 8, 9, 10, 11, 12, 300, 400, 50, 60);

    private async Task<(string Admin, RathenaCharacterStore Store)> CreateAsync()
    {
        string admin = await CreateDatabaseAsync();
        return (admin, new RathenaCharacterStore(await db.Server.CreateLeastPrivilegeUserAsync(admin, "grants.sql", "grants_rathena.sql")));
    }

    /// <summary>A database with our schema, rAthena's tables, Alice and the bulk characters; returns its admin connection string.</summary>
    private async Task<string> CreateDatabaseAsync()
    {
        string admin = await db.Server.CreateDatabaseAsync("chars");
        await MariaDbServer.CreateRathenaTablesAsync(admin);
        var bulk = Enumerable.Range(FirstBulk, BulkCount).Select(id => $"({id}, 2000001, {id - FirstBulk}, 'bulk{id}', 'payon', 'M')");
        await ExecuteAsync(admin, $"""
            INSERT INTO `char` (char_id, account_id, char_num, name, base_level, job_level, base_exp, job_exp, zeny, str, agi, vit, `int`, dex, luk,
                                status_point, skill_point, hp, max_hp, sp, max_sp, last_map, last_x, last_y, sex)
            VALUES ({Alice}, 2000000, 0, 'Alice', 12, 5, 1234, 56, 7890, 5, 6, 7, 8, 9, 10, 11, 12, 300, 400, 50, 60, 'prontera', 156, 191, 'F');
            INSERT INTO `char` (char_id, account_id, char_num, name, last_map, sex) VALUES {string.Join(", ", bulk)};
            """);
        return admin;
    }

    [Fact]
    public async Task ASeededCharacterLoadsAtVersionZero()
    {
        var (_, store) = await CreateAsync();
        await using var _ = store;
        Assert.Equal(new StoredCharacter(Alice, 2000000, "prontera", Seeded, 0), await store.LoadAsync(Alice));
        Assert.Null(await store.LoadAsync(999));
    }

    [Fact]
    public async Task ASaveAppliesBumpsTheVersionAndLeavesOneAcceptedAuditRow()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        var saved = Row(119, 59, 99, 50, ulong.MaxValue, 1UL << 40, uint.MaxValue, 99, 98, 97, 96, 95, 94, 3, 4, 16_777_215, 16_000_000, 7, 8);
        var key = Key();

        var outcome = await store.WriteAsync(Save(Alice, 0, saved, key, online: true) with { Map = "geffen" });

        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 1), outcome);
        Assert.Equal(new StoredCharacter(Alice, 2000000, "geffen", saved, 1), await store.LoadAsync(Alice));
        Assert.Equal(1L, await ScalarAsync(admin, $"SELECT online FROM `char` WHERE char_id = {Alice}"));
        var audit = await AuditAsync(admin, Alice);
        var row = Assert.Single(audit);
        Assert.Equal(("host-1", "geffen", 7L, "save", 1, 0, "", 1L), (row.Host, row.Map, row.Epoch, row.Operation, row.Accepted, row.Code, row.Reason, row.Version));
        Assert.Equal(key, row.Key);

        // An online change alone leaves the saved values; a save without one leaves the flag.
        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 2), await store.WriteAsync(Save(Alice, 1, null, Key(), online: false) with { Operation = "offline" }));
        Assert.Equal(0L, await ScalarAsync(admin, $"SELECT online FROM `char` WHERE char_id = {Alice}"));
        Assert.Equal(saved, (await store.LoadAsync(Alice))!.Data);
        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 3), await store.WriteAsync(Save(Alice, 2, Seeded, Key())));
        Assert.Equal(0L, await ScalarAsync(admin, $"SELECT online FROM `char` WHERE char_id = {Alice}"));
        Assert.Equal(new StoredCharacter(Alice, 2000000, "prontera", Seeded, 3), await store.LoadAsync(Alice));
    }

    [Fact]
    public async Task ARetriedKeyIsADuplicateAndIsAppliedOnce()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        var key = Key();
        var first = Save(Alice, 0, Seeded with { Zeny = 1 }, key);
        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 1), await store.WriteAsync(first));
        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 2), await store.WriteAsync(Save(Alice, 1, Seeded with { Zeny = 2 }, Key())));

        // The retry comes after a later save: answered with what it produced, and not applied over the later one.
        Assert.Equal(new WriteOutcome(WriteStatus.Duplicate, 1), await store.WriteAsync(first));
        Assert.Equal(new WriteOutcome(WriteStatus.Duplicate, 1), await store.WriteAsync(first with { ExpectedVersion = 2 }));

        Assert.Equal(new StoredCharacter(Alice, 2000000, "prontera", Seeded with { Zeny = 2 }, 2), await store.LoadAsync(Alice));
        Assert.Equal(2, (await AuditAsync(admin, Alice)).Count);
        Assert.Equal(2L, await ScalarAsync(admin, "SELECT COUNT(*) FROM p2p_db_idempotency"));

        // The same key for another character is no retry: refused, audited, nothing written.
        var e = await Assert.ThrowsAsync<ClusterException>(() => store.WriteAsync(first with { CharId = FirstBulk }));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
        Assert.Equal((int)ClusterError.InvalidArgument, Assert.Single(await AuditAsync(admin, FirstBulk)).Code);
        Assert.Equal(0, (await store.LoadAsync(FirstBulk))!.Version);
    }

    [Fact]
    public async Task AStaleExpectedVersionIsAConflictAuditedAsRefused()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        Assert.Equal(WriteStatus.Applied, (await store.WriteAsync(Save(Alice, 0, Seeded with { Zeny = 1 }, Key()))).Status);

        var stale = Save(Alice, 0, Seeded with { Zeny = 999_999 }, Key());
        Assert.Equal(new WriteOutcome(WriteStatus.Conflict, 1), await store.WriteAsync(stale));

        Assert.Equal(new StoredCharacter(Alice, 2000000, "prontera", Seeded with { Zeny = 1 }, 1), await store.LoadAsync(Alice));
        var refused = Assert.Single(await AuditAsync(admin, Alice), a => a.Accepted == 0);
        Assert.Equal(((int)ClusterError.VersionConflict, "expected version 0, stored 1", 1L), (refused.Code, refused.Reason, refused.Version));
        Assert.Equal(stale.Key, refused.Key);
        Assert.Equal(1L, await ScalarAsync(admin, "SELECT COUNT(*) FROM p2p_db_idempotency")); // a refused key may be sent again
    }

    [Fact]
    public async Task OfTwentyConcurrentWritersOnOneVersionExactlyOneIsApplied()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        var writes = Enumerable.Range(1, 20).Select(i => Save(Alice, 0, Seeded with { Zeny = (uint)i }, Key())).ToList();

        var outcomes = await Task.WhenAll(writes.Select(w => Task.Run(() => store.WriteAsync(w))));

        int winner = Assert.Single(Enumerable.Range(0, 20), i => outcomes[i].Status == WriteStatus.Applied);
        Assert.Equal(1, outcomes[winner].Version);
        Assert.All(outcomes.Where((_, i) => i != winner), o => Assert.Equal(new WriteOutcome(WriteStatus.Conflict, 1), o));
        Assert.Equal(writes[winner].Data, (await store.LoadAsync(Alice))!.Data);
        var audit = await AuditAsync(admin, Alice);
        Assert.Equal((1, 19), (audit.Count(a => a.Accepted == 1), audit.Count(a => a.Code == (int)ClusterError.VersionConflict)));
    }

    [Fact]
    public async Task WritesOfOneCharacterQueuedTogetherApplyInQueueOrder()
    {
        var (_, store) = await CreateAsync();
        await using var _ = store;
        var pending = Enumerable.Range(0, 5).Select(v => store.WriteAsync(Save(Alice, v, Seeded with { Zeny = (uint)v }, Key()))).ToList();

        var outcomes = await Task.WhenAll(pending);

        Assert.Equal(Enumerable.Range(1, 5).Select(v => new WriteOutcome(WriteStatus.Applied, v)), outcomes);
        Assert.Equal(new StoredCharacter(Alice, 2000000, "prontera", Seeded with { Zeny = 4 }, 5), await store.LoadAsync(Alice));
    }

    [Fact]
    public async Task FiveHundredWritesOverAHundredCharactersAreAllCommittedAndAudited()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        const int PerCharacter = 5;

        var outcomes = await Task.WhenAll(Enumerable.Range(FirstBulk, BulkCount).Select(id => Task.Run(async () =>
        {
            var mine = new List<WriteOutcome>();
            for (int v = 0; v < PerCharacter; v++)
                mine.Add(await store.WriteAsync(Save(id, v, Seeded with { Zeny = (uint)(id * 10 + v) }, Key(), online: v % 2 == 0) with { Map = "payon" }));
            return mine;
        })));

        Assert.All(outcomes.SelectMany(o => o), o => Assert.Equal(WriteStatus.Applied, o.Status));
        Assert.Equal(BulkCount * PerCharacter, await ScalarAsync(admin, "SELECT COUNT(*) FROM p2p_db_audit WHERE accepted = 1"));
        Assert.Equal(BulkCount * PerCharacter, await ScalarAsync(admin, "SELECT COUNT(*) FROM p2p_db_idempotency"));
        Assert.Equal(BulkCount, await ScalarAsync(admin, $"SELECT COUNT(*) FROM p2p_char_version WHERE version = {PerCharacter}"));
        Assert.Equal(BulkCount, await ScalarAsync(admin,
            $"SELECT COUNT(*) FROM `char` WHERE char_id >= {FirstBulk} AND zeny = char_id * 10 + {PerCharacter - 1} AND online = 1 AND last_x = 156"));
    }

    [Fact]
    public async Task TwoCoordinatorsRacingOnFirstWritesNeverBothApply()
    {
        var (admin, one) = await CreateAsync();
        await using var _ = one;
        await using var two = new RathenaCharacterStore(await db.Server.CreateLeastPrivilegeUserAsync(admin, "grants.sql", "grants_rathena.sql"));
        var ids = Enumerable.Range(FirstBulk, 40).ToList();

        var outcomes = await Task.WhenAll(ids.SelectMany(id => new[] { one, two }.Select(store =>
            Task.Run(() => store.WriteAsync(Save(id, 0, Seeded with { Zeny = (uint)id }, Key()))))));

        Assert.Equal(ids.Count, outcomes.Count(o => o.Status == WriteStatus.Applied));
        Assert.Equal(ids.Count, outcomes.Count(o => o == new WriteOutcome(WriteStatus.Conflict, 1)));
        Assert.Equal(ids.Count, await ScalarAsync(admin, $"SELECT COUNT(*) FROM p2p_char_version WHERE version = 1"));
    }

    [Fact]
    public async Task AWriteForAMissingCharacterIsRefusedAsNotFound()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        var e = await Assert.ThrowsAsync<ClusterException>(() => store.WriteAsync(Save(999, 0, Seeded, Key())));
        Assert.Equal(ClusterError.NotFound, e.Code);
        Assert.Equal((int)ClusterError.NotFound, Assert.Single(await AuditAsync(admin, 999)).Code);
        Assert.Equal(0L, await ScalarAsync(admin, "SELECT COUNT(*) FROM p2p_char_version"));
    }

    [Fact]
    public async Task ARefusedWriteLeavesAnAuditRow()
    {
        var (admin, store) = await CreateAsync();
        await using var _ = store;
        await store.AuditRefusedAsync(new RefusedWrite(Alice, "host-2", "geffen", 9, null, "save", ClusterError.NotOnMap, "not on geffen under epoch 9"));

        var row = Assert.Single(await AuditAsync(admin, Alice));
        Assert.Equal(("host-2", "geffen", 9L, "save", (byte[]?)null, 0, (int)ClusterError.NotOnMap, "not on geffen under epoch 9", (long?)null),
            (row.Host, row.Map, row.Epoch, row.Operation, row.Key, row.Accepted, row.Code, row.Reason, row.Version));
    }

    [Fact]
    public async Task AValueTheColumnCannotHoldIsRefusedBeforeItIsQueued()
    {
        var (_, store) = await CreateAsync();
        await using var _ = store;
        var e = await Assert.ThrowsAsync<ClusterException>(() => store.WriteAsync(Save(Alice, 0, Seeded with { Hp = 16_777_216 }, Key())));
        Assert.Equal(ClusterError.OutOfBounds, e.Code);
        e = await Assert.ThrowsAsync<ClusterException>(() => store.WriteAsync(Save(Alice, 0, Seeded, new byte[15])));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
        Assert.Equal(0, (await store.LoadAsync(Alice))!.Version);
    }

    [Fact]
    public async Task DisposingCommitsWhatIsQueuedThenRefusesWrites()
    {
        var (admin, store) = await CreateAsync();
        var pending = Enumerable.Range(FirstBulk, 50).Select(id => store.WriteAsync(Save(id, 0, Seeded, Key()))).ToList();

        await store.DisposeAsync();

        Assert.All(pending, t => Assert.Equal(new WriteOutcome(WriteStatus.Applied, 1), t.Result));
        Assert.Equal(50L, await ScalarAsync(admin, "SELECT COUNT(*) FROM p2p_db_audit"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync(Save(Alice, 0, Seeded, Key())));
    }

    [Fact]
    public async Task ABatchThatFailsHalfWayLeavesNothingAndTheNextOneApplies()
    {
        string admin = await CreateDatabaseAsync();
        string coordinator = await db.Server.CreateLeastPrivilegeUserAsync(admin, "grants.sql", "grants_rathena.sql");
        string user = $"'{new MySqlConnectionStringBuilder(coordinator).UserID}'@'127.0.0.1'";
        await using var store = new RathenaCharacterStore(coordinator);
        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 1), await store.WriteAsync(Save(Alice, 0, Seeded, Key())));

        // The batch upserts the version and inserts the key, then fails at its audit row.
        await ExecuteAsync(admin, $"REVOKE INSERT ON p2p_db_audit FROM {user}");
        var failed = Key();
        var e = await Assert.ThrowsAsync<ClusterException>(() => store.WriteAsync(Save(Alice, 1, Seeded with { X = 1 }, failed)));
        Assert.Equal(ClusterError.StoreUnavailable, e.Code);
        await ExecuteAsync(admin, $"GRANT INSERT ON p2p_db_audit TO {user}");

        Assert.Equal(new WriteOutcome(WriteStatus.Applied, 2), await store.WriteAsync(Save(Alice, 1, Seeded with { X = 2 }, Key())));
        Assert.Equal(0L, await ScalarAsync(admin, $"SELECT COUNT(*) FROM p2p_db_idempotency WHERE idem_key = X'{Convert.ToHexString(failed)}'"));
        Assert.Equal(2L, await ScalarAsync(admin, $"SELECT version FROM p2p_char_version WHERE char_id = {Alice}"));
        Assert.Equal(2, (await AuditAsync(admin, Alice)).Count);
        Assert.Equal(2L, await ScalarAsync(admin, $"SELECT last_x FROM `char` WHERE char_id = {Alice}"));
    }

    internal static CharacterWrite Save(int charId, long expected, CharacterSnapshot? data, byte[] key, bool? online = null) =>
        new(charId, "host-1", "prontera", 7, key, expected, data, online, "save");

    /// <summary>A row's values in the <c>char</c> table's column order (last_x … max_sp).</summary>
    internal static CharacterSnapshot Row(int x, int y, int baseLevel, int jobLevel, ulong baseExp, ulong jobExp, uint zeny,
        int str, int agi, int vit, int @int, int dex, int luk, uint statusPoint, uint skillPoint, uint hp, uint maxHp, uint sp, uint maxSp) =>
        new(x, y, baseLevel, jobLevel, baseExp, jobExp, zeny, hp, sp, str, agi, vit, @int, dex, luk, statusPoint, skillPoint, maxHp, maxSp);

    internal static byte[] Key() => Guid.NewGuid().ToByteArray();

    private sealed record AuditRow(string Host, string Map, long Epoch, string Operation, byte[]? Key, int Accepted, int Code, string Reason, long? Version);

    private static async Task<List<AuditRow>> AuditAsync(string admin, int charId)
    {
        await using var connection = new MySqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT host_id, map, epoch, operation, idem_key, accepted, code, reason, version FROM p2p_db_audit WHERE char_id = @c ORDER BY id", connection);
        command.Parameters.AddWithValue("@c", charId);
        await using var r = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await r.ReadAsync())
            rows.Add(new AuditRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetFieldValue<byte[]>(4),
                r.GetInt32(5), r.GetInt32(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8)));
        return rows;
    }

    private static async Task<long> ScalarAsync(string admin, string sql)
    {
        await using var connection = new MySqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string admin, string sql)
    {
        await using var connection = new MySqlConnection(admin);
        await connection.OpenAsync();
        await MariaDbServer.ExecuteAsync(connection, sql);
    }
}
