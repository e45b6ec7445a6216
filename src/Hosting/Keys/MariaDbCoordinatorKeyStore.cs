using System.Data;
using MySqlConnector;

namespace P2PCluster.Hosting.Keys;

/// <summary>
/// The key set in MariaDB's p2p_coordinator_keys (sql/keys_schema.sql), read by every silo and gateway of the cluster.
/// Changes run under a named lock (GET_LOCK), so concurrent changes are applied one after another.
/// Times are UTC milliseconds.
/// </summary>
public sealed class MariaDbCoordinatorKeyStore(DatabaseOptions database) : ICoordinatorKeyStore
{
    private const string LockName = ".p2p_coordinator_keys"; // one lock per database
    private const int LockSeconds = 10;
    private const string Select = "SELECT key_id, public_key, private_key_pem, created_at, activate_at, retire_at, revoked_at FROM p2p_coordinator_keys";

    public string Describe => $"p2p_coordinator_keys on {Database.Describe(database)}";

    public async Task<CoordinatorKeySet> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(database, cancellationToken);
        return await Guard(() => ReadAsync(connection, null, cancellationToken));
    }

    public async Task<KeySetEdit> UpdateAsync(Func<CoordinatorKeySet, KeySetEdit> change, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(database, cancellationToken);
        return await Guard(async () =>
        {
            // A named lock, not row locks: on an empty table (first start of several silos) InnoDB's gap locks made
            // concurrent seeds deadlock.
            await using (var take = new MySqlCommand("SELECT GET_LOCK(CONCAT(DATABASE(), @name), @seconds)", connection))
            {
                take.Parameters.AddWithValue("@name", LockName);
                take.Parameters.AddWithValue("@seconds", LockSeconds);
                if (Convert.ToInt64(await take.ExecuteScalarAsync(cancellationToken) ?? 0L) != 1)
                    throw new DatabaseException($"{Describe}: another key set change held the lock for {LockSeconds} s; try again");
            }
            try
            {
                return await ApplyAsync(connection, change, cancellationToken);
            }
            finally
            {
                await using var release = new MySqlCommand("DO RELEASE_LOCK(CONCAT(DATABASE(), @name))", connection);
                release.Parameters.AddWithValue("@name", LockName);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        });
    }

    private static async Task<KeySetEdit> ApplyAsync(MySqlConnection connection, Func<CoordinatorKeySet, KeySetEdit> change, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var edit = change(await ReadAsync(connection, transaction, cancellationToken));
        foreach (var entry in edit.Changed)
        {
            await using var command = new MySqlCommand(
                "INSERT INTO p2p_coordinator_keys (key_id, public_key, private_key_pem, created_at, activate_at, retire_at, revoked_at) " +
                "VALUES (@id, @public, @private, @created, @activate, @retire, @revoked) " +
                "ON DUPLICATE KEY UPDATE activate_at = @activate, retire_at = @retire, revoked_at = @revoked", connection, transaction);
            command.Parameters.AddWithValue("@id", entry.KeyId);
            command.Parameters.AddWithValue("@public", entry.PublicKey);
            command.Parameters.AddWithValue("@private", entry.PrivateKeyPem);
            command.Parameters.AddWithValue("@created", entry.CreatedAt.UtcDateTime);
            command.Parameters.AddWithValue("@activate", entry.ActivateAt.UtcDateTime);
            command.Parameters.AddWithValue("@retire", entry.RetireAt?.UtcDateTime);
            command.Parameters.AddWithValue("@revoked", entry.RevokedAt?.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return edit;
    }

    private static async Task<CoordinatorKeySet> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(Select, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CoordinatorKeyEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CoordinatorKeyEntry(reader.GetString(0), (byte[])reader.GetValue(1), reader.GetString(2),
                Utc(reader.GetDateTime(3)), Utc(reader.GetDateTime(4)),
                reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5)), reader.IsDBNull(6) ? null : Utc(reader.GetDateTime(6))));
        }
        return new CoordinatorKeySet(entries);
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (MySqlException e)
        {
            throw new DatabaseException($"{Describe}: {e.Message}", e);
        }
    }
}
