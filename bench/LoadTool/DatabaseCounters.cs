using MySqlConnector;

namespace P2PCluster.LoadTool;

/// <summary>
/// What the database has been asked to write. <see cref="GrainStateWrites"/>: every grain-state write moves its
/// row's Version by one (a first write leaves it at 1: sql/orleans_schema.sql), so Σ Version counts them exactly.
/// <see cref="ReminderWrites"/> likewise for reminders. <see cref="Statements"/>: MariaDB's global
/// Com_insert/update/delete/replace counters (statements of every client and every table, membership included).
/// </summary>
public readonly record struct DatabaseCounters(long GrainStateWrites, long ReminderWrites, long MembershipVersion, long Statements)
{
    private const string StatementCounters =
        "'Com_insert','Com_insert_select','Com_update','Com_update_multi','Com_delete','Com_delete_multi','Com_replace','Com_replace_select'";

    public static async Task<DatabaseCounters> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        long state = await ScalarAsync(connection, "SELECT COALESCE(SUM(Version), 0) FROM OrleansStorage", cancellationToken);
        long reminders = await ScalarAsync(connection, "SELECT COALESCE(SUM(Version), 0) FROM OrleansRemindersTable", cancellationToken);
        long membership = await ScalarAsync(connection, "SELECT COALESCE(SUM(Version), 0) FROM OrleansMembershipVersionTable", cancellationToken);
        long statements = await ScalarAsync(connection,
            $"SELECT COALESCE(SUM(VARIABLE_VALUE), 0) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ({StatementCounters.ToUpperInvariant()})",
            cancellationToken);
        return new DatabaseCounters(state, reminders, membership, statements);
    }

    public static DatabaseCounters operator -(DatabaseCounters a, DatabaseCounters b) =>
        new(a.GrainStateWrites - b.GrainStateWrites, a.ReminderWrites - b.ReminderWrites, a.MembershipVersion - b.MembershipVersion, a.Statements - b.Statements);

    private static async Task<long> ScalarAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
