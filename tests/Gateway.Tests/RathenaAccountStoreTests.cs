using System.Security.Cryptography;
using System.Text;
using MySqlConnector;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Silo.Accounts;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>Player accounts read from rAthena's own login and char tables, as the least-privilege coordinator user.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class RathenaAccountStoreTests(MariaDbFixture db)
{
    private async Task<string> CreateAsync()
    {
        string admin = await db.Server.CreateDatabaseAsync("accounts");
        await MariaDbServer.CreateRathenaTablesAsync(admin);
        await using (var connection = new MySqlConnection(admin))
        {
            await connection.OpenAsync();
            string md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("md5-secret")));
            await MariaDbServer.ExecuteAsync(connection, $"""
                INSERT INTO `login` (account_id, userid, user_pass, sex, state) VALUES
                  (2000000, 'Alice', 'plain-secret', 'F', 0),
                  (2000001, 'bob', '{md5}', 'M', 0),
                  (2000002, 'mallory', 'x', 'M', 5);
                INSERT INTO `char` (char_id, account_id, char_num, name, class, base_level, last_map, last_x, last_y, sex) VALUES
                  (150001, 2000000, 1, 'Second', 4001, 99, 'geffen', 119, 59, 'F'),
                  (150000, 2000000, 0, 'First', 0, 12, 'prontera', 156, 191, 'F'),
                  (150002, 2000001, 0, 'Bobby', 7, 50, 'payon', 160, 100, 'M');
                """);
        }
        return await db.Server.CreateLeastPrivilegeUserAsync(admin, "grants.sql", "grants_rathena.sql");
    }

    [Fact]
    public async Task AccountsAndCharactersAreReadWithTheGrantedColumnsOnly()
    {
        var store = new RathenaAccountStore(await CreateAsync());
        var alice = await store.FindAccountAsync("Alice");
        Assert.Equal(new AccountRecord(2000000, "Alice", "plain-secret", 'F', 0), alice);
        Assert.Null(await store.FindAccountAsync("alice")); // user ids are case-sensitive, whatever the collation
        Assert.Null(await store.FindAccountAsync("nobody"));
        Assert.Equal(5, (await store.FindAccountAsync("mallory"))!.State);

        var characters = await store.CharactersAsync(2000000);
        Assert.Equal(["First", "Second"], characters.Select(c => c.Name));
        Assert.Equal(new CharacterSummary(150001, 2000000, 1, "Second", 4001, 99, "geffen", 119, 59), characters[1]);
        Assert.Equal("payon", (await store.FindCharacterAsync(150002))!.LastMap);
        Assert.Null(await store.FindCharacterAsync(999));
        Assert.Empty(await store.CharactersAsync(2000002));
    }

    [Fact]
    public async Task PasswordsArePlainOrMd5AsRathenaStoresThem()
    {
        var store = new RathenaAccountStore(await CreateAsync());
        Assert.True(Passwords.Matches((await store.FindAccountAsync("Alice"))!.StoredPassword, "plain-secret", md5: false));
        Assert.False(Passwords.Matches((await store.FindAccountAsync("Alice"))!.StoredPassword, "plain-secreT", md5: false));
        Assert.True(Passwords.Matches((await store.FindAccountAsync("bob"))!.StoredPassword, "md5-secret", md5: true));
        Assert.False(Passwords.Matches((await store.FindAccountAsync("bob"))!.StoredPassword, "md5-secret", md5: false));
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsAClusterErrorWithoutSecrets()
    {
        var unreachable = new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1", Port = (uint)FreePort.Next(), Database = "ragnarok", UserID = "p2p", Password = "hunter2", ConnectionTimeout = 2,
        }.ConnectionString;
        var e = await Assert.ThrowsAsync<ClusterException>(() => new RathenaAccountStore(unreachable).FindAccountAsync("Alice"));
        Assert.Equal(ClusterError.StoreUnavailable, e.Code);
        Assert.DoesNotContain("hunter2", e.Message);
    }
}
