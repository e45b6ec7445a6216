using P2PCluster.Grains.Interfaces;
using System.Text;
using MySqlConnector;
using P2PCluster.Grains.Characters;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// The SQL of one batch of <see cref="RathenaCharacterStore"/>, in three round trips: which characters exist; then, in
/// one InnoDB transaction, lock (create their missing version rows, lock every version row of the batch, read which
/// keys were applied), decide in memory (<see cref="BatchPlan"/>), write (upsert versions, insert keys, insert audit rows,
/// then one UPDATE of <c>char</c>), commit. Every statement is multi-row and takes its values as parameters.
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
    /// <summary>The <c>char</c> columns a save sets, in <see cref="Values"/>' order; <c>online</c> follows them.</summary>
    public static readonly string[] DataColumns =
    [
        "last_map", "last_x", "last_y", "base_level", "job_level", "base_exp", "job_exp", "zeny", "str", "agi", "vit", "int", "dex", "luk",
        "status_point", "skill_point", "hp", "max_hp", "sp", "max_sp",
    ];

    public static async Task<BatchPlan> CommitAsync(string connectionString, IReadOnlyList<PendingWrite> batch, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var writes = batch.Select(p => p.Write).OfType<CharacterWrite>().ToList();
        var existing = writes.Count == 0 ? [] : await ExistingAsync(connection, writes, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (stored, applied) = writes.Count == 0
            ? (new Dictionary<int, long>(), new Dictionary<Guid, BatchPlan.AppliedKey>())
            : await LockAsync(connection, transaction, existing, writes, cancellationToken);
        var plan = BatchPlan.Decide(batch, stored, applied);
        await WriteAsync(connection, transaction, plan, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return plan;
    }

    public static object?[] Values(CharacterData d) =>
        [d.LastMap, d.X, d.Y, d.BaseLevel, d.JobLevel, d.BaseExp, d.JobExp, d.Zeny, d.Str, d.Agi, d.Vit, d.Int, d.Dex, d.Luk,
         d.StatusPoint, d.SkillPoint, d.Hp, d.MaxHp, d.Sp, d.MaxSp];

    /// <summary>
    /// The batch's characters that exist, read before the transaction and on their own: a statement that reads a
    /// MyISAM <c>char</c> holds its table lock while it runs, and if it also waited for a row lock of another batch
    /// (which waits for that table lock to UPDATE <c>char</c>) neither engine would see the deadlock. Outside the
    /// transaction it also opens no InnoDB snapshot early where <c>char</c> is InnoDB.
    /// </summary>
    private static async Task<List<int>> ExistingAsync(MySqlConnection connection, List<CharacterWrite> writes, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection };
        string ids = string.Join(", ", writes.Select(w => w.CharId).Distinct().Order().Select(id => Add(command, id)));
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
        MySqlConnection connection, MySqlTransaction transaction, List<int> existing, List<CharacterWrite> writes, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        var sql = new StringBuilder();
        if (existing.Count > 0)
        {
            var ids = existing.Select(id => Add(command, id)).ToList();
            sql.Append("INSERT INTO p2p_char_version (char_id, version, updated_at) VALUES ")
                .AppendJoin(", ", ids.Select(id => $"({id}, 0, UTC_TIMESTAMP(3))"))
                .AppendLine(" ON DUPLICATE KEY UPDATE version = version;")
                .AppendLine($"SELECT char_id, version FROM p2p_char_version WHERE char_id IN ({string.Join(", ", ids)}) ORDER BY char_id FOR UPDATE;");
        }
        string keys = string.Join(", ", writes.Select(w => w.Key).DistinctBy(k => new Guid(k)).Select(k => Add(command, k)));
        sql.AppendLine($"SELECT idem_key, char_id, version FROM p2p_db_idempotency WHERE idem_key IN ({keys});");
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

    private static async Task WriteAsync(MySqlConnection connection, MySqlTransaction transaction, BatchPlan plan, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        var sql = new StringBuilder();
        if (plan.Versions.Count > 0)
        {
            sql.Append("INSERT INTO p2p_char_version (char_id, version, updated_at) VALUES ")
                .AppendJoin(", ", plan.Versions.Select(v => $"({Add(command, v.Key)}, {Add(command, v.Value)}, UTC_TIMESTAMP(3))"))
                .AppendLine(" ON DUPLICATE KEY UPDATE version = VALUES(version), updated_at = VALUES(updated_at);");
        }
        if (plan.Keys.Count > 0)
        {
            sql.Append("INSERT INTO p2p_db_idempotency (idem_key, char_id, version, applied_at) VALUES ")
                .AppendJoin(", ", plan.Keys.Select(k => $"({Add(command, k.Key)}, {Add(command, k.CharId)}, {Add(command, k.Version)}, UTC_TIMESTAMP(3))"))
                .AppendLine(";");
        }
        if (plan.Audits.Count > 0)
        {
            sql.Append("INSERT INTO p2p_db_audit (at, host_id, char_id, map, epoch, operation, idem_key, accepted, code, reason, version) VALUES ")
                .AppendJoin(", ", plan.Audits.Select(a => "(UTC_TIMESTAMP(3), " + string.Join(", ",
                    Add(command, a.HostId), Add(command, a.CharId), Add(command, a.Map), Add(command, a.Epoch), Add(command, a.Operation),
                    Add(command, a.Key), Add(command, a.Accepted ? 1 : 0), Add(command, (ushort)a.Code), Add(command, a.Reason), Add(command, a.Version)) + ")"))
                .AppendLine(";");
        }
        if (plan.Rows.Count > 0) AppendCharUpdate(sql, command, plan.Rows);
        if (sql.Length == 0) return;
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One UPDATE … JOIN over a derived table of the batch's rows, so the coordinator needs only UPDATE on <c>char</c>
    /// (an INSERT … ON DUPLICATE KEY UPDATE would need INSERT). A NULL leaves the column as it is: all the data columns
    /// for a change of the online flag only, <c>online</c> for a save that does not set it.
    /// </summary>
    private static void AppendCharUpdate(StringBuilder sql, MySqlCommand command, SortedDictionary<int, BatchPlan.RowChange> rows)
    {
        string[] columns = [.. DataColumns, "online"];
        var nulls = new object?[DataColumns.Length];
        sql.AppendLine("UPDATE `char` c JOIN (");
        bool first = true;
        foreach (var (charId, change) in rows)
        {
            object?[] values = [charId, .. change.Data is { } d ? Values(d) : nulls, change.Online is { } online ? (online ? 1 : 0) : null];
            sql.Append(first ? "  SELECT " : "  UNION ALL SELECT ");
            for (int i = 0; i < values.Length; i++)
            {
                if (i > 0) sql.Append(", ");
                sql.Append(Add(command, values[i]));
                if (first) sql.Append(" AS `").Append(i == 0 ? "char_id" : columns[i - 1]).Append('`');
            }
            sql.AppendLine();
            first = false;
        }
        sql.Append(") v ON c.char_id = v.char_id SET ")
            .AppendJoin(", ", columns.Select(c => $"c.`{c}` = COALESCE(v.`{c}`, c.`{c}`)"))
            .AppendLine(";");
    }

    private static string Add(MySqlCommand command, object? value)
    {
        string name = "@p" + command.Parameters.Count;
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return name;
    }
}
