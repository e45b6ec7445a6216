using MySqlConnector;

namespace P2PCluster.Admin.Audit;

/// <summary>The audit in MariaDB's p2p_admin_audit (sql/admin_schema.sql), shared by every silo; times are UTC.</summary>
public sealed class MariaDbAdminAudit(string connectionString) : IAdminAudit
{
    private const int ConnectTimeoutSeconds = 5;

    private readonly string _connectionString = new MySqlConnectionStringBuilder(connectionString)
    {
        ConnectionTimeout = Math.Min(new MySqlConnectionStringBuilder(connectionString).ConnectionTimeout, ConnectTimeoutSeconds),
    }.ConnectionString;

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO p2p_admin_audit (at, key_name, action, target, result) VALUES (@at, @key, @action, @target, @result)";
        command.Parameters.AddWithValue("@at", entry.At.UtcDateTime);
        command.Parameters.AddWithValue("@key", Cut(entry.KeyName, 64));
        command.Parameters.AddWithValue("@action", Cut(entry.Action, 32));
        command.Parameters.AddWithValue("@target", Cut(entry.Target, 128));
        command.Parameters.AddWithValue("@result", Cut(entry.Result, 255));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, key_name, action, target, result FROM p2p_admin_audit ORDER BY id DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)),
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return entries;
    }

    private static string Cut(string value, int max) => value.Length > max ? value[..max] : value;
}
