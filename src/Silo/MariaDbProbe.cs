using MySqlConnector;
using P2PCluster.Grains;

namespace P2PCluster.Silo;

/// <summary>Asks the cluster's MariaDB/MySQL a <c>SELECT 1</c> on a connection of its own (the database_unreachable alert's input).</summary>
public sealed class MariaDbProbe(string connectionString) : IDatabaseProbe
{
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
