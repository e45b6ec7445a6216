using MySqlConnector;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Diagnostic.Tests;

/// <summary>Each problem seeded into an otherwise clean cluster is found, critical, with the evidence naming it, and the run exits 5.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SeededProblemTests(MariaDbFixture db, ITestOutputHelper output)
{
    [Fact]
    public async Task EachSeededSecurityProblemIsFound()
    {
        await using var cluster = await DiagnosticCluster.StartAsync(db.Server);

        // A world-readable copy of the coordinator's key.
        string readable = Path.Combine(cluster.Directory, "readable.pem");
        File.Copy(cluster.KeyFile, readable);
        File.SetUnixFileMode(readable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var key = await SecurityAsync(cluster, cluster.WriteConfig("readable-key.conf", new Dictionary<string, string> { ["security.coordinator_key_file"] = DiagnosticCluster.Quote(readable) }));
        var keyFinding = key.One("security/coordinator_key_file");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(keyFinding));
        Assert.Contains($"'{readable}' has mode 0644", DiagnosticRun.EvidenceOf(keyFinding));

        var plain = await SecurityAsync(cluster, cluster.WriteConfig("plain.conf", new Dictionary<string, string> { ["security.encryption_enabled"] = "false" }));
        Assert.Equal("critical", DiagnosticRun.SeverityOf(plain.One("security/encryption")));

        // A database user with everything on the cluster's database, made in the test's own database.
        string user = "p2pdiag_" + Guid.NewGuid().ToString("N")[..10];
        string database = new MySqlConnectionStringBuilder(cluster.AdminConnectionString).Database;
        await using (var connection = new MySqlConnection(cluster.AdminConnectionString))
        {
            await connection.OpenAsync();
            await MariaDbServer.ExecuteAsync(connection, $"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'pw{user}'; GRANT ALL PRIVILEGES ON `{database}`.* TO '{user}'@'127.0.0.1'");
        }
        string mighty = new MySqlConnectionStringBuilder(cluster.AdminConnectionString) { UserID = user, Password = "pw" + user }.ConnectionString;
        var grants = await SecurityAsync(cluster, cluster.WriteConfig("mighty.conf", new Dictionary<string, string> { ["database.connection_string"] = DiagnosticCluster.Quote(mighty) }));
        var grantFinding = grants.One("security/database_grants");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(grantFinding));
        Assert.Contains($"ALL PRIVILEGES ON {database}.*", DiagnosticRun.EvidenceOf(grantFinding));

        // Least privilege plus one column of rAthena's login table the coordinator never reads.
        string nosy = await MariaDbServer.CreateUserWithGrantsAsync(cluster.AdminConnectionString, "grants.sql", "grants_rathena.sql");
        string nosyUser = new MySqlConnectionStringBuilder(nosy).UserID;
        await using (var connection = new MySqlConnection(cluster.AdminConnectionString))
        {
            await connection.OpenAsync();
            await MariaDbServer.ExecuteAsync(connection, $"GRANT SELECT (email) ON `login` TO '{nosyUser}'@'127.0.0.1'");
        }
        var column = await SecurityAsync(cluster, cluster.WriteConfig("nosy.conf", new Dictionary<string, string> { ["database.connection_string"] = DiagnosticCluster.Quote(nosy) }));
        var columnFinding = column.One("security/database_grants");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(columnFinding));
        Assert.Contains("SELECT (email) ON login (columns not in the grant files)", DiagnosticRun.EvidenceOf(columnFinding));

        // A key the API does not know: exit 4, the API's checks not done.
        string wrongKey = Path.Combine(cluster.Directory, "wrong.key");
        File.WriteAllText(wrongKey, "not-a-key-this-cluster-knows");
        var refused = await DiagnosticRun.RunAsync(["--config", cluster.ConfigFile, "--api-key-file", wrongKey, "--security", "--json"]);
        Assert.True(refused.ExitCode == 4, refused.Output);
        Assert.Contains("refused the key from", refused.Output);
        Assert.Equal("critical", DiagnosticRun.SeverityOf(refused.One("security/refused_writes")));

        // Each run found its own problem only.
        foreach (var (run, check) in new[] { (key, "security/coordinator_key_file"), (plain, "security/encryption"), (grants, "security/database_grants"), (column, "security/database_grants") })
            Assert.Equal([check], run.Findings.Where(f => DiagnosticRun.SeverityOf(f) != "ok").Select(f => $"{f["area"]}/{f["check"]}"));
    }

    [Fact]
    public async Task UnreachableAdvertisedEndpointIsFound()
    {
        await using var cluster = await DiagnosticCluster.StartAsync(db.Server);
        // Its map listens on 127.0.0.1, but it tells the cluster (and players) 127.0.0.2, where nothing listens.
        var agent = await cluster.StartAgentAsync("127.0.0.2");
        string hostId = DiagnosticCluster.HostIdOf(agent);

        var run = await DiagnosticRun.RunAsync([.. cluster.Arguments(), "--network"]);
        output.WriteLine(run.Output);

        Assert.True(run.ExitCode == 5, run.Output);
        var finding = run.One("network/host_endpoints");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(finding));
        Assert.Contains($"host {hostId} at 127.0.0.2:", DiagnosticRun.EvidenceOf(finding));
        Assert.Contains("connection refused", DiagnosticRun.EvidenceOf(finding));
    }

    private async Task<DiagnosticRun> SecurityAsync(DiagnosticCluster cluster, string configFile)
    {
        var run = await DiagnosticRun.RunAsync([.. cluster.Arguments(configFile), "--security"]);
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 5, run.Output);
        return run;
    }
}
