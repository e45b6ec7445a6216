using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MySqlConnector;
using Orleans.Configuration;
using Orleans.Runtime;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Client;
using P2PCluster.Hosting;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>Silo processes forming a cluster through MariaDB: schema set-up, join, kill -9, eviction, graceful leave.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class ClusterOnMariaDbTests(MariaDbFixture db, ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Membership status values the Orleans providers write (SiloStatus).</summary>
    internal const int Active = 3, Dead = 6;

    [Fact]
    public async Task InitDbTwiceIsHarmless()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("initdb", applySchema: false);
        var env = new Dictionary<string, string> { ["P2P_database__connection_string"] = connectionString };

        var first = await ProgramProcess.RunAsync("Silo", ["--init-db"], env, StartTimeout);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("schema ready", first.Output);
        long queries = await ScalarAsync(connectionString, "SELECT COUNT(*) FROM OrleansQuery");
        Assert.True(queries >= 20, $"only {queries} Orleans queries installed");
        await ScalarAsync(connectionString, "INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version) VALUES ('keep-me', UTC_TIMESTAMP(3), 7)");

        var second = await ProgramProcess.RunAsync("Silo", ["--init-db"], env, StartTimeout);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(queries, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM OrleansQuery"));
        Assert.Equal(7, await ScalarAsync(connectionString, "SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = 'keep-me'"));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT version FROM p2p_schema_version WHERE component = 'p2p'"));
    }

    [Fact]
    public async Task DatabaseWithoutSchemaIsReported()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("noschema", applySchema: false);
        using var key = new KeyFile();
        var silo = await ProgramProcess.RunAsync("Silo", [], new Dictionary<string, string>
        {
            ["P2P_database__connection_string"] = connectionString,
            ["P2P_security__coordinator_key_file"] = key.Path,
            ["P2P_http__urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, StartTimeout);
        Assert.Equal(3, silo.ExitCode);
        Assert.Contains("--init-db", silo.Output);
    }

    [Fact]
    public async Task TwoSilosJoinAndAKilledSiloIsEvictedWhileStateSurvives()
    {
        string adminConnection = await db.Server.CreateDatabaseAsync("cluster");
        // The silos run as the least-privilege user of sql/grants.sql: proof that those grants are enough.
        string connectionString = await db.Server.CreateLeastPrivilegeUserAsync(adminConnection);
        string clusterId = "c" + Guid.NewGuid().ToString("N")[..8];

        using var key = new KeyFile();
        var watch = Stopwatch.StartNew();
        // The test plays its host without heartbeats (TestPlacement): it must not be declared dead meanwhile.
        var noHeartbeats = new Dictionary<string, string> { ["P2P_distribution__heartbeat_timeout_ms"] = "600000" };
        var a = SiloProcess.Start(connectionString, clusterId, key.Path, environment: noHeartbeats);
        var b = SiloProcess.Start(connectionString, clusterId, key.Path, environment: noHeartbeats);
        await using var _a = a.Process;
        await using var _b = b.Process;
        output.WriteLine(await a.Process.WaitForLineAsync("Silo started", StartTimeout));
        output.WriteLine(await b.Process.WaitForLineAsync("Silo started", StartTimeout));
        await WaitForStatusAsync(adminConnection, clusterId, a.SiloPort, Active, StartTimeout);
        await WaitForStatusAsync(adminConnection, clusterId, b.SiloPort, Active, StartTimeout);
        output.WriteLine($"both silos Active after {watch.ElapsedMilliseconds} ms (two processes started together)");

        using var client = await ConnectClientAsync(connectionString, clusterId);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var maps = Enumerable.Range(0, 20).Select(i => grains.GetGrain<IMapGrain>($"map_{i}")).ToList();
        var assignments = new List<MapAssignment>();
        foreach (var map in maps) assignments.Add(await grains.PlaceOnAsync(map.GetPrimaryKeyString(), "host-1", HostKind.P2P, "127.0.0.1:7000"));

        // Kill the silo that holds map_0, so at least one map must re-activate from the database elsewhere.
        var management = grains.GetGrain<IManagementGrain>(0);
        var holder = await management.GetActivationAddress(maps[0]);
        Assert.NotNull(holder);
        var (victim, survivor) = holder.Endpoint.Port == a.SiloPort ? (a, b) : (b, a);
        victim.Process.Kill();
        var sinceKill = Stopwatch.StartNew();
        await WaitForStatusAsync(adminConnection, clusterId, victim.SiloPort, Dead, TimeSpan.FromSeconds(30));
        var eviction = sinceKill.Elapsed;
        output.WriteLine($"kill -9 → membership row Dead after {eviction.TotalMilliseconds:F0} ms");
        Assert.True(eviction <= TimeSpan.FromSeconds(5), $"eviction took {eviction}");

        for (int i = 0; i < maps.Count; i++)
        {
            var info = await RetryAsync(() => maps[i].GetAsync(), TimeSpan.FromSeconds(30));
            Assert.Equal(assignments[i], info.Assignment);
        }
        output.WriteLine($"all {maps.Count} assignments read back {sinceKill.ElapsedMilliseconds} ms after the kill");

        // SIGTERM: the survivor leaves gracefully and marks itself Dead.
        survivor.Process.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await survivor.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await WaitForStatusAsync(adminConnection, clusterId, survivor.SiloPort, Dead, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StandaloneGatewayServesHostsThroughTwoSilosAndSurvivesOneDying()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("gateway");
        string clusterId = "g" + Guid.NewGuid().ToString("N")[..8];
        using var key = new KeyFile();
        var a = SiloProcess.Start(connectionString, clusterId, key.Path);
        var b = SiloProcess.Start(connectionString, clusterId, key.Path);
        await using var _a = a.Process;
        await using var _b = b.Process;
        await WaitForStatusAsync(connectionString, clusterId, a.SiloPort, Active, StartTimeout);
        await WaitForStatusAsync(connectionString, clusterId, b.SiloPort, Active, StartTimeout);

        int gatewayPort = FreePort.Next();
        string gatewayHttp = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = ProgramProcess.Start("Gateway", [], new Dictionary<string, string>
        {
            ["P2P_database__connection_string"] = connectionString,
            ["P2P_cluster__cluster_id"] = clusterId,
            ["P2P_security__coordinator_key_file"] = key.Path,
            ["P2P_coordinator__port"] = gatewayPort.ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = gatewayHttp,
            ["P2P_logging__file"] = "logs/gateway.log", // relative: in the process's working folder
        });
        output.WriteLine(await gateway.WaitForLineAsync("Connected to the cluster", StartTimeout));
        Assert.Contains("2 active silo", gateway.Output);
        // Rotation (docs/operations.md, "Logs"): the file renamed, SIGUSR1, the gateway writes on in a new one.
        string gatewayLog = Path.Combine(gateway.WorkingDirectory, "logs", "gateway.log");
        File.Move(gatewayLog, gatewayLog + ".1");
        gateway.Signal(10); // SIGUSR1 on Linux
        await gateway.WaitForLineAsync("SIGUSR1: reopened the log file", StartTimeout);

        using var host = SigningIdentity.Generate();
        var endpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, gatewayPort);
        var options = new CoordinatorConnectionOptions
        {
            CoordinatorKeys = [key.PublicKey],
            Role = PeerRole.HostAgent,
            Identity = host,
            Endpoint = "127.0.0.1:6121",
        };
        await using (var connection = await CoordinatorConnection.ConnectAsync(endpoint, options))
        {
            Assert.Equal(HandshakeCrypto.HostId(host.PublicKey), connection.Welcome.Identity);
            Assert.True(connection.Encrypted);
            await connection.PingAsync(throughCluster: true);
        }

        // The stand-alone gateway serves its own metrics, at both paths, and counted the host's connection.
        var metrics = await P2PCluster.TestSupport.MetricsScrape.GetAsync(gatewayHttp + "/metrics");
        var seed = await P2PCluster.TestSupport.MetricsScrape.GetAsync(gatewayHttp + "/p2p/metrics");
        Assert.Equal(metrics.Families.Keys.Order(), seed.Families.Keys.Order());
        var lint = await metrics.LintAsync();
        Assert.True(lint.Count == 0, "promtool check metrics:\n" + string.Join("\n", lint));
        Assert.True(metrics.Value("p2p_gateway_connections_total") >= 1, "the host's connection was not counted");
        Assert.True(metrics.Value("p2p_gateway_handshake_duration_seconds_count") >= 1, "the host's handshake was not timed");
        Assert.False(metrics.Families.ContainsKey("p2p_cluster_hosts"), "a gateway must not emit the cluster gauges (silos do)");

        a.Process.Kill();
        var sinceKill = Stopwatch.StartNew();
        await Eventually.SucceedsAsync(async () =>
        {
            await using var connection = await CoordinatorConnection.ConnectAsync(endpoint, options);
            await connection.PingAsync(throughCluster: true).WaitAsync(TimeSpan.FromSeconds(10));
        }, e => e is ProtocolException or TimeoutException, "a host served through the gateway after kill -9 of a silo", TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(200));
        output.WriteLine($"host served through the gateway again {sinceKill.ElapsedMilliseconds} ms after kill -9 of a silo");

        gateway.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        string beforeReopen = File.ReadAllText(gatewayLog + ".1"), afterReopen = File.ReadAllText(gatewayLog);
        // A line logged before the signal but still queued for the file may land in either file (CI: the new one);
        // what counts is that it is in exactly one of them.
        Assert.Equal(1, Occurrences(beforeReopen + afterReopen, "Connected to the cluster"));
        Assert.DoesNotContain("SIGUSR1", beforeReopen);
        Assert.Contains($"SIGUSR1: reopened the log file {gatewayLog}", afterReopen);
        Assert.Contains("Gateway stopping: closed", afterReopen); // written out on the way down
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    [Fact]
    public async Task SiloOnMariaDbWithoutACoordinatorKeyIsRefused()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("nokey");
        var silo = await ProgramProcess.RunAsync("Silo", [], new Dictionary<string, string>
        {
            ["P2P_database__connection_string"] = connectionString,
            ["P2P_http__urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, StartTimeout);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("security.coordinator_key_file", silo.Output);
    }

    internal static async Task<IHost> ConnectClientAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "p2pcluster"; });
            client.UseAdoNetClustering(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = connectionString; });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>A grain call made again while the cluster recovers from a lost silo (its failures say so), for up to <paramref name="timeout"/>.</summary>
    internal static Task<T> RetryAsync<T>(Func<Task<T>> call, TimeSpan timeout) =>
        Eventually.SucceedsAsync(call, e => e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException,
            "a grain call answered while the cluster recovers", timeout, TimeSpan.FromMilliseconds(100));

    internal static Task WaitForStatusAsync(string connectionString, string clusterId, int siloPort, int status, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => ScalarAsync(connectionString,
                $"SELECT COALESCE(MAX(Status), -1) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Port = {siloPort}"),
            seen => seen == status, $"silo on port {siloPort} at membership status {status}", timeout);

    internal static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }
}
