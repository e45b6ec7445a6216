using MySqlConnector;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>The history in MariaDB's p2p_alerts (sql/alerts_schema.sql), one row per alert; times are UTC.</summary>
public sealed class MariaDbAlertHistory(string connectionString) : IAlertHistory
{
    private const int ConnectTimeoutSeconds = 5;
    private const int CommandTimeoutSeconds = 10;
    private const string Columns = "id, rule, subject, state, value, threshold, started_at, fired_at, ended_at, summary";

    private readonly string _connectionString = new MySqlConnectionStringBuilder(connectionString)
    {
        ConnectionTimeout = Math.Min(new MySqlConnectionStringBuilder(connectionString).ConnectionTimeout, ConnectTimeoutSeconds),
    }.ConnectionString;

    public async Task SaveAsync(Alert alert, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO p2p_alerts ({Columns}) VALUES (@id, @rule, @subject, @state, @value, @threshold, @started, @fired, @ended, @summary)
            ON DUPLICATE KEY UPDATE state = VALUES(state), value = VALUES(value), threshold = VALUES(threshold),
                fired_at = VALUES(fired_at), ended_at = VALUES(ended_at), summary = VALUES(summary)
            """;
        command.Parameters.AddWithValue("@id", alert.Id);
        command.Parameters.AddWithValue("@rule", alert.Rule);
        command.Parameters.AddWithValue("@subject", alert.Subject);
        command.Parameters.AddWithValue("@state", alert.State.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("@value", alert.Value);
        command.Parameters.AddWithValue("@threshold", alert.Threshold);
        command.Parameters.AddWithValue("@started", alert.StartedAt.UtcDateTime);
        command.Parameters.AddWithValue("@fired", alert.FiredAt?.UtcDateTime);
        command.Parameters.AddWithValue("@ended", alert.EndedAt?.UtcDateTime);
        command.Parameters.AddWithValue("@summary", alert.Summary.Length > 500 ? alert.Summary[..500] : alert.Summary);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Alert>> LoadFiringAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM p2p_alerts WHERE state = 'firing' ORDER BY fired_at", null, cancellationToken);

    public Task<IReadOnlyList<Alert>> LoadRecentAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM p2p_alerts ORDER BY COALESCE(ended_at, fired_at, started_at) DESC, id LIMIT @limit", limit, cancellationToken);

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM p2p_alerts WHERE ended_at < @before";
        command.Parameters.AddWithValue("@before", before.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Alert>> QueryAsync(string sql, int? limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (limit is { } l) command.Parameters.AddWithValue("@limit", l);
        var alerts = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(new Alert(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                Enum.Parse<AlertState>(reader.GetString(3), ignoreCase: true),
                reader.GetDouble(4), reader.GetDouble(5),
                Utc(reader.GetDateTime(6)),
                reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)),
                reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
                reader.GetString(9)));
        }
        return alerts;
    }

    private async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
