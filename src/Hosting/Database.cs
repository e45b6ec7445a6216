using MySqlConnector;

namespace P2PCluster.Hosting;

/// <summary>Start-up checks and schema installation for the MySQL/MariaDB behind the cluster.</summary>
public static class Database
{
    /// <summary>Schema files applied by <c>--init-db</c>, in order.</summary>
    public static readonly IReadOnlyList<string> SchemaFiles = ["orleans_schema.sql", "p2p_schema.sql", "alerts_schema.sql", "admin_schema.sql", "keys_schema.sql"];

    /// <summary>Seconds a start-up check waits for the server before giving up.</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary>Fails with a <see cref="DatabaseException"/> naming the server unless it answers and holds our schema.</summary>
    public static async Task CheckAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(options, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('OrleansQuery', 'p2p_schema_version')";
        long found = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        if (found < 2)
            throw new DatabaseException(
                $"database '{connection.Database}' on {Describe(options)} has no P2PCluster schema: run the silo once with --init-db (as a user allowed to create tables)");
    }

    /// <summary>Applies every file of <see cref="SchemaFiles"/> from <paramref name="sqlDirectory"/>; each is idempotent.</summary>
    public static async Task<IReadOnlyList<string>> InitializeAsync(DatabaseOptions options, string sqlDirectory, CancellationToken cancellationToken)
    {
        var applied = new List<string>();
        await using var connection = await OpenAsync(options, cancellationToken);
        foreach (string file in SchemaFiles)
        {
            string path = Path.Combine(sqlDirectory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"schema file {path} is missing", path);
            await using var command = connection.CreateCommand();
            command.CommandText = await File.ReadAllTextAsync(path, cancellationToken);
            command.CommandTimeout = 120;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (MySqlException e)
            {
                throw new DatabaseException($"applying {file} to {Describe(options)} failed: {e.Message}", e);
            }
            applied.Add(path);
        }
        return applied;
    }

    /// <summary>Opens a connection with a bounded timeout, turning every failure into a message that names the server.</summary>
    public static async Task<MySqlConnection> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(options.ConnectionString);
        if (builder.ConnectionTimeout > ConnectTimeoutSeconds) builder.ConnectionTimeout = ConnectTimeoutSeconds;
        var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is MySqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new DatabaseException($"database.connection_string: cannot connect to {Describe(options)}: {e.Message}", e);
        }
    }

    /// <summary>server:port/database and user, never the password.</summary>
    public static string Describe(DatabaseOptions options)
    {
        var builder = new MySqlConnectionStringBuilder(options.ConnectionString);
        return $"MySQL/MariaDB at {builder.Server}:{builder.Port} (database '{builder.Database}', user '{builder.UserID}')";
    }
}
