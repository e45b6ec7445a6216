using P2PCluster.Grains.Interfaces;
using System.Text;
using MySqlConnector;
using P2PCluster.Grains.Characters;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// The SQL of one batch of <see cref="RathenaCharacterStore"/>, in three round trips: which characters exist; then, in
/// one InnoDB transaction (begun with the second round trip, committed with the third), lock (create their missing
/// version rows, lock every version row of the batch, read which keys were applied), decide in memory
/// (<see cref="BatchPlan"/>), write (upsert versions, insert keys, insert audit rows, then one UPDATE of <c>char</c>),
/// commit. Every statement is multi-row; numbers and keys are literals, text is bound as parameters (<see cref="BatchValues"/>).
/// </summary>
/// <remarks>
/// rAthena's <c>char</c> is MyISAM upstream, outside the transaction: its UPDATE runs last, so a failure before it
/// leaves nothing, but a commit that fails after it leaves the row changed with the version not bumped. The caller was
/// told the write failed and retries it with the same key and expected version, and applying the same values again
/// is harmless: a save is value-idempotent. That holds for one row per write. Writes that must change several rows
/// at once (inventory, storage) need those tables in InnoDB.
/// </remarks>
internal static class CharacterBatch
{
    /// <summary>The <c>char</c> columns a save sets, in the order <see cref="AppendValues"/> writes them; <c>online</c> follows them.</summary>
    public static readonly string[] DataColumns =
    [
        "last_map", "last_x", "last_y", "base_level", "job_level", "base_exp", "job_exp", "zeny", "str", "agi", "vit", "int", "dex", "luk",
        "status_point", "skill_point", "hp", "max_hp", "sp", "max_sp",
    ];

    /// <summary>
    /// Commits the batch on <paramref name="connection"/> (open, no transaction under way), in three round trips: the
    /// transaction's START rides with the lock statements and its COMMIT with the writes. On failure the transaction is
    /// rolled back (or the connection is broken, which ends it) before the exception leaves.
    /// </summary>
    public static async Task<BatchPlan> CommitAsync(MySqlConnection connection, IReadOnlyList<PendingWrite> batch, CancellationToken cancellationToken)
    {
        var writes = batch.Select(p => p.Write).OfType<CharacterWrite>().ToList();
        var existing = writes.Count == 0 ? [] : await ExistingAsync(connection, writes, cancellationToken);
        try
        {
            var (stored, applied) = writes.Count == 0
                ? (new Dictionary<int, long>(), new Dictionary<Guid, BatchPlan.AppliedKey>())
                : await LockAsync(connection, existing, writes, cancellationToken);
            var plan = BatchPlan.Decide(batch, stored, applied);
            await WriteAsync(connection, plan, begin: writes.Count == 0, cancellationToken);
            return plan;
        }
        catch
        {
            await RollbackAsync(connection);
            throw;
        }
    }

    /// <summary>
    /// Ends a failed batch's transaction, so its row locks do not outlive it and a START TRANSACTION on this connection
    /// cannot commit its half. If the ROLLBACK fails too, the connection is closed: the server rolls back a transaction
    /// whose connection ends, and the pool resets a connection before it is used again.
    /// </summary>
    private static async Task RollbackAsync(MySqlConnection connection)
    {
        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is MySqlException or IOException or InvalidOperationException)
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Appends <paramref name="d"/>'s values in <see cref="DataColumns"/>' order, each followed by <paramref name="alias"/>'s column name when given.</summary>
    private static void AppendValues(BatchValues v, string lastMap, CharacterSnapshot d, bool alias)
    {
        long[] numbers = [d.X, d.Y, d.BaseLevel, d.JobLevel];
        v.Text(lastMap);
        As(0);
        for (int i = 0; i < numbers.Length; i++) { v.Comma().Number(numbers[i]); As(1 + i); }
        v.Comma().Number(d.BaseExp); As(5);
        v.Comma().Number(d.JobExp); As(6);
        long[] rest = [d.Zeny, d.Str, d.Agi, d.Vit, d.Int, d.Dex, d.Luk, d.StatusPoint, d.SkillPoint, d.Hp, d.MaxHp, d.Sp, d.MaxSp];
        for (int i = 0; i < rest.Length; i++) { v.Comma().Number(rest[i]); As(7 + i); }

        void As(int column)
        {
            if (alias) v.Raw(" AS `").Raw(DataColumns[column]).Raw("`");
        }
    }

    /// <summary>
    /// The batch's characters that exist, read before the transaction and on their own: a statement that reads a
    /// MyISAM <c>char</c> holds its table lock while it runs, and if it also waited for a row lock of another batch
    /// (which waits for that table lock to UPDATE <c>char</c>) neither engine would see the deadlock. Outside the
    /// transaction it also opens no InnoDB snapshot early where <c>char</c> is InnoDB.
    /// </summary>
    private static async Task<List<int>> ExistingAsync(MySqlConnection connection, List<CharacterWrite> writes, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection };
        string ids = string.Join(", ", writes.Select(w => w.CharId).Distinct().Order());
        command.CommandText = $"SELECT char_id FROM `char` WHERE char_id IN ({ids}) ORDER BY char_id";
        var existing = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) existing.Add(checked((int)reader.GetUInt32(0)));
        return existing;
    }

    /// <summary>
    /// Version rows are created (at 0) for existing characters that have none, so that even a character's first write
    /// locks a row: two coordinators racing on it queue on that lock instead of both reading "no row". Rows are taken in
    /// char_id order, so two batches lock in the same order. Keys are read after the locks (the transaction's first
    /// plain read, so its snapshot is taken then): a retry of a write committed meanwhile is seen as such.
    /// </summary>
    private static async Task<(Dictionary<int, long> Stored, Dictionary<Guid, BatchPlan.AppliedKey> Applied)> LockAsync(
        MySqlConnection connection, List<int> existing, List<CharacterWrite> writes, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection };
        var sql = new StringBuilder("START TRANSACTION;\n");
        var v = new BatchValues(command, sql);
        if (existing.Count > 0)
        {
            string ids = string.Join(", ", existing);
            sql.Append("INSERT INTO p2p_char_version (char_id, version, updated_at) VALUES ")
                .AppendJoin(", ", existing.Select(id => $"({id}, 0, UTC_TIMESTAMP(3))"))
                .AppendLine(" ON DUPLICATE KEY UPDATE version = version;")
                .AppendLine($"SELECT char_id, version FROM p2p_char_version WHERE char_id IN ({ids}) ORDER BY char_id FOR UPDATE;");
        }
        sql.Append("SELECT idem_key, char_id, version FROM p2p_db_idempotency WHERE idem_key IN (");
        bool first = true;
        foreach (var key in writes.Select(w => w.Key).DistinctBy(k => new Guid(k)))
        {
            if (!first) v.Comma();
            v.Key(key);
            first = false;
        }
        sql.AppendLine(");");
        command.CommandText = sql.ToString();

        var stored = new Dictionary<int, long>();
        var applied = new Dictionary<Guid, BatchPlan.AppliedKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (existing.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken)) stored[checked((int)reader.GetUInt32(0))] = reader.GetInt64(1);
            await reader.NextResultAsync(cancellationToken);
        }
        while (await reader.ReadAsync(cancellationToken)) applied[new Guid(reader.GetFieldValue<byte[]>(0))] = new(checked((int)reader.GetUInt32(1)), reader.GetInt64(2));
        return (stored, applied);
    }

    /// <param name="begin">Whether the transaction starts here (a batch of refusals only, which locked nothing).</param>
    private static async Task WriteAsync(MySqlConnection connection, BatchPlan plan, bool begin, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection };
        var sql = new StringBuilder(begin ? "START TRANSACTION;\n" : "");
        var v = new BatchValues(command, sql);
        if (plan.Versions.Count > 0)
        {
            sql.Append("INSERT INTO p2p_char_version (char_id, version, updated_at) VALUES ");
            Rows(plan.Versions, r => v.Raw("(").Number(r.Key).Comma().Number(r.Value).Raw(", UTC_TIMESTAMP(3))"));
            sql.AppendLine(" ON DUPLICATE KEY UPDATE version = VALUES(version), updated_at = VALUES(updated_at);");
        }
        if (plan.Keys.Count > 0)
        {
            sql.Append("INSERT INTO p2p_db_idempotency (idem_key, char_id, version, applied_at) VALUES ");
            Rows(plan.Keys, k => v.Raw("(").Key(k.Key).Comma().Number(k.CharId).Comma().Number(k.Version).Raw(", UTC_TIMESTAMP(3))"));
            sql.AppendLine(";");
        }
        if (plan.Audits.Count > 0)
        {
            sql.Append("INSERT INTO p2p_db_audit (at, host_id, char_id, map, epoch, operation, idem_key, accepted, code, reason, version) VALUES ");
            Rows(plan.Audits, a =>
            {
                v.Raw("(UTC_TIMESTAMP(3), ").Text(a.HostId).Comma().Number(a.CharId).Comma().Text(a.Map).Comma().Number(a.Epoch).Comma().Text(a.Operation).Comma();
                if (a.Key is { } key) v.Key(key);
                else v.Null();
                v.Comma().Number(a.Accepted ? 1 : 0).Comma().Number((ushort)a.Code).Comma().Text(a.Reason).Comma();
                if (a.Version is { } version) v.Number(version);
                else v.Null();
                v.Raw(")");
            });
            sql.AppendLine(";");
        }
        if (plan.Rows.Count > 0) AppendCharUpdate(v, plan.Rows);
        sql.Append("COMMIT;");
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);

        void Rows<T>(IEnumerable<T> rows, Action<T> append)
        {
            bool first = true;
            foreach (var row in rows)
            {
                if (!first) v.Comma();
                append(row);
                first = false;
            }
        }
    }

    /// <summary>
    /// One UPDATE … JOIN over a derived table of the batch's rows, so the coordinator needs only UPDATE on <c>char</c>
    /// (an INSERT … ON DUPLICATE KEY UPDATE would need INSERT). A NULL leaves the column as it is: all the data columns
    /// for a change of the online flag only, <c>online</c> for a save that does not set it.
    /// </summary>
    private static void AppendCharUpdate(BatchValues v, SortedDictionary<int, BatchPlan.RowChange> rows)
    {
        string[] columns = [.. DataColumns, "online"];
        var sql = v.Sql;
        sql.AppendLine("UPDATE `char` c JOIN (");
        bool first = true;
        foreach (var (charId, change) in rows)
        {
            sql.Append(first ? "  SELECT " : "  UNION ALL SELECT ");
            v.Number(charId);
            if (first) sql.Append(" AS `char_id`");
            if (change is { Data: { } d, LastMap: { } lastMap })
            {
                v.Comma();
                AppendValues(v, lastMap, d, alias: first);
            }
            else
            {
                for (int i = 0; i < DataColumns.Length; i++)
                {
                    v.Comma().Null();
                    if (first) sql.Append(" AS `").Append(DataColumns[i]).Append('`');
                }
            }
            v.Comma();
            if (change.Online is { } online) v.Number(online ? 1 : 0);
            else v.Null();
            if (first) sql.Append(" AS `online`");
            sql.AppendLine();
            first = false;
        }
        sql.Append(") v ON c.char_id = v.char_id SET ")
            .AppendJoin(", ", columns.Select(c => $"c.`{c}` = COALESCE(v.`{c}`, c.`{c}`)"))
            .AppendLine(";");
    }
}
