using MySqlConnector;
using P2PCluster.TestSupport;

namespace P2PCluster.Admin.Tests;

/// <summary>With a database, every operate call leaves a row of p2p_admin_audit, written as the least-privilege user.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class AuditOnMariaDbTests(MariaDbFixture db) : IDisposable
{
    private const string OperateKey = "mariadb-audit-operate-key-0123456789";
    private const string ReadKey = "mariadb-audit-read-key-0123456789";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-db-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task OperateCallsLeaveRowsInTheAuditTable()
    {
        string admin = await db.Server.CreateDatabaseAsync("adminaudit");
        string coordinator = await db.Server.CreateLeastPrivilegeUserAsync(admin);
        var env = AdminSilo.Environment(_dir.FullName, coordinator);
        env["P2P_accounts__source"] = "file";
        // Keys from a keys file this time (the other form of admin.api_keys).
        string keysFile = Path.Combine(_dir.FullName, "admin_keys");
        await File.WriteAllTextAsync(keysFile,
            $"# name role sha256\nops operate {AdminSilo.Sha256Hex(OperateKey)}\nwatcher\tread\t{AdminSilo.Sha256Hex(ReadKey)}\n");
        env["P2P_admin__keys_file"] = keysFile;
        await using var silo = await AdminSilo.StartAsync(env);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var client = silo.Client(OperateKey);
        using (var resume = await client.PostAsync("/api/v1/network/resume", null))
            Assert.NotEqual(System.Net.HttpStatusCode.Unauthorized, resume.StatusCode);
        using (var drain = await client.PostAsync("/api/v1/hosts/bad%20host/drain", null))
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, drain.StatusCode);
        using var reader = silo.Client(ReadKey);
        using (var forbidden = await reader.PostAsync("/api/v1/network/reset", null))
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, forbidden.StatusCode);

        var rows = await ReadRowsAsync(admin);
        Assert.Equal(3, rows.Count);
        Assert.Equal(("ops", "resume", "network"), (rows[0].Key, rows[0].Action, rows[0].Target));
        Assert.NotEmpty(rows[0].Result);
        Assert.Equal(("ops", "drain", "bad host", "refused 400 InvalidArgument"), (rows[1].Key, rows[1].Action, rows[1].Target, rows[1].Result));
        Assert.Equal(("watcher", "reset", "network", "refused 403 Forbidden"), (rows[2].Key, rows[2].Action, rows[2].Target, rows[2].Result));
        Assert.All(rows, r => Assert.InRange(r.At, before.UtcDateTime, DateTime.UtcNow.AddSeconds(1)));

        // GET /api/v1/audit reads the same table, newest first.
        var api = await AuditRows.GetAsync(reader);
        Assert.Equal(["reset", "drain", "resume"], api.Select(r => r.Action));
    }

    private static async Task<List<(DateTime At, string Key, string Action, string Target, string Result)>> ReadRowsAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, key_name, action, target, result FROM p2p_admin_audit ORDER BY id";
        var rows = new List<(DateTime, string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetDateTime(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return rows;
    }
}
