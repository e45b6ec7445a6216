using System.Globalization;
using MySqlConnector;

namespace P2PCluster.LoadTool;

/// <summary>
/// MariaDB's server-wide status counters that say what a window cost the database: transactions committed
/// (<c>Com_commit</c>: one per batch of the character store), statements, InnoDB fsyncs, and waits for a table lock
/// (MyISAM <c>char</c>) or a row lock.
/// </summary>
public readonly record struct DatabaseStatus(long Commits, long Inserts, long Updates, long Selects, long Fsyncs, long TableLockWaits, long RowLockWaits)
{
    private static readonly string[] Names =
        ["COM_COMMIT", "COM_INSERT", "COM_UPDATE", "COM_UPDATE_MULTI", "COM_SELECT", "INNODB_DATA_FSYNCS", "TABLE_LOCKS_WAITED", "INNODB_ROW_LOCK_WAITS"];

    public static async Task<DatabaseStatus> ReadAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            $"SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('{string.Join("', '", Names)}')", connection);
        var values = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync()) values[r.GetString(0)] = long.Parse(r.GetString(1), CultureInfo.InvariantCulture);
        long V(string name) => values.GetValueOrDefault(name);
        return new DatabaseStatus(V("COM_COMMIT"), V("COM_INSERT"), V("COM_UPDATE") + V("COM_UPDATE_MULTI"), V("COM_SELECT"), V("INNODB_DATA_FSYNCS"),
            V("TABLE_LOCKS_WAITED"), V("INNODB_ROW_LOCK_WAITS"));
    }

    public static DatabaseStatus operator -(DatabaseStatus a, DatabaseStatus b) =>
        new(a.Commits - b.Commits, a.Inserts - b.Inserts, a.Updates - b.Updates, a.Selects - b.Selects, a.Fsyncs - b.Fsyncs,
            a.TableLockWaits - b.TableLockWaits, a.RowLockWaits - b.RowLockWaits);

    public static DatabaseStatus operator +(DatabaseStatus a, DatabaseStatus b) =>
        new(a.Commits + b.Commits, a.Inserts + b.Inserts, a.Updates + b.Updates, a.Selects + b.Selects, a.Fsyncs + b.Fsyncs,
            a.TableLockWaits + b.TableLockWaits, a.RowLockWaits + b.RowLockWaits);
}
