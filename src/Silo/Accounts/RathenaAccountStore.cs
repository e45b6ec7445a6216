using MySqlConnector;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Accounts;

/// <summary>
/// Reads rAthena's <c>login</c> and <c>char</c> tables through the coordinator's database connection (SELECT only;
/// sql/grants.sql). User ids compare case-sensitively, as rAthena's login server does by default.
/// </summary>
public sealed class RathenaAccountStore(string connectionString) : IAccountStore
{
    private const string CharacterColumns = "char_id, account_id, char_num, name, class, base_level, last_map, last_x, last_y";

    public Task<AccountRecord?> FindAccountAsync(string userId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => QueryAccountAsync(userId, cancellationToken));

    public Task<IReadOnlyList<CharacterSummary>> CharactersAsync(int accountId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => QueryCharactersAsync(accountId, cancellationToken));

    public Task<CharacterSummary?> FindCharacterAsync(int charId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => QueryCharacterAsync(charId, cancellationToken));

    public Task<CharacterSummary?> FindCharacterByNameAsync(string name, CancellationToken cancellationToken = default) =>
        GuardAsync(() => QueryCharacterByNameAsync(name, cancellationToken));

    /// <summary>A database that fails (down, missing tables, missing grants) is the cluster's StoreUnavailable, never a raw driver error.</summary>
    private static async Task<T> GuardAsync<T>(Func<Task<T>> query)
    {
        try
        {
            return await query();
        }
        catch (MySqlException e)
        {
            throw new ClusterException(ClusterError.StoreUnavailable, $"the account database failed: {e.ErrorCode} ({e.Message})");
        }
    }

    private async Task<AccountRecord?> QueryAccountAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT account_id, userid, user_pass, sex, state FROM `login` WHERE userid = @userid", connection);
        command.Parameters.AddWithValue("@userid", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // The column's collation may be case-insensitive; the match must not be.
            if (!string.Equals(reader.GetString(1), userId, StringComparison.Ordinal)) continue;
            string sex = reader.GetString(3);
            return new AccountRecord(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), sex.Length > 0 ? sex[0] : 'M', reader.GetInt32(4));
        }
        return null;
    }

    private async Task<IReadOnlyList<CharacterSummary>> QueryCharactersAsync(int accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand($"SELECT {CharacterColumns} FROM `char` WHERE account_id = @account ORDER BY char_num", connection);
        command.Parameters.AddWithValue("@account", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<CharacterSummary>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(Read(reader));
        return result;
    }

    private async Task<CharacterSummary?> QueryCharacterAsync(int charId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand($"SELECT {CharacterColumns} FROM `char` WHERE char_id = @char", connection);
        command.Parameters.AddWithValue("@char", charId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private async Task<CharacterSummary?> QueryCharacterByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand($"SELECT {CharacterColumns} FROM `char` WHERE name = @name", connection);
        command.Parameters.AddWithValue("@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var character = Read(reader);
            // The column's collation may be case-insensitive; the match must not be.
            if (string.Equals(character.Name, name, StringComparison.Ordinal)) return character;
        }
        return null;
    }

    private static CharacterSummary Read(MySqlDataReader r) =>
        new(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5), r.GetString(6), r.GetInt32(7), r.GetInt32(8));

    private async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (MySqlException e)
        {
            await connection.DisposeAsync();
            throw new ClusterException(ClusterError.StoreUnavailable, $"the account database did not answer ({e.ErrorCode})");
        }
    }
}
