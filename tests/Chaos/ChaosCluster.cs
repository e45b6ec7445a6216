using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MySqlConnector;
using Orleans.Configuration;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Chaos;

/// <summary>
/// The chaos suite's cluster: a MariaDB of its own (rAthena's login and char tables plus ours), two silos whose
/// gateways listen on two addresses at the same ports, as two machines would, four host agents (a VPS and two P2P
/// hosts here, a P2P host in a network namespace of its own when namespaces can be made), six players (one character
/// each) and an Orleans client to read grain state. <see cref="RestoreAsync"/> brings back whatever a fault killed.
/// </summary>
public sealed class ChaosCluster : IAsyncLifetime
{
    /// <summary>The configured maps with their policies, distinct per map, so a mix-up of policies shows.</summary>
    public static readonly IReadOnlyDictionary<string, MapPolicy> Maps = new Dictionary<string, MapPolicy>
    {
        ["prontera"] = new(Critical: true, P2PAllowed: true, MaxPlayers: 300, MinScore: 0),
        ["geffen"] = new(Critical: false, P2PAllowed: true, MaxPlayers: 150, MinScore: 0),
        ["payon"] = new(Critical: false, P2PAllowed: true, MaxPlayers: 120, MinScore: 0),
        ["morocc"] = new(Critical: false, P2PAllowed: true, MaxPlayers: 80, MinScore: 0),
    };

    public const int Players = 6;
    private const uint FirstAccount = 2000000, FirstChar = 150000;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("p2p-chaos-");
    private IHost? _client;

    public ChaosMariaDb Database { get; private set; } = null!;
    public ChaosNetwork? Network { get; private set; }
    public string ConnectionString { get; private set; } = "";
    public byte[] CoordinatorKey { get; private set; } = [];
    public ChaosSilo SiloA { get; private set; } = null!;
    public ChaosSilo SiloB { get; private set; } = null!;
    public IReadOnlyList<ChaosSilo> Silos => [SiloA, SiloB];
    public List<ChaosAgent> Agents { get; } = [];
    public IGrainFactory Grains => _client!.Services.GetRequiredService<IClusterClient>();
    public IReadOnlyList<uint> CharIds { get; } = [.. Enumerable.Range(0, Players).Select(i => FirstChar + (uint)i)];
    private List<IPEndPoint> Coordinators { get; set; } = [];

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // no process of a half-started cluster outlives the run
            throw;
        }
    }

    private async Task StartAsync()
    {
        Database = await ChaosMariaDb.StartAsync();
        ConnectionString = await MariaDbServer.CreateDatabaseOnAsync(Database.AdminConnectionString, "chaos");
        await MariaDbServer.CreateRathenaTablesAsync(ConnectionString);
        await using (var connection = new MySqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            var maps = Maps.Keys.ToList();
            await MariaDbServer.ExecuteAsync(connection, $"""
                INSERT INTO `login` (account_id, userid, user_pass, sex) VALUES
                {string.Join(",\n", Enumerable.Range(0, Players).Select(i => $"({FirstAccount + i}, 'chaos{i}', 'chaos{i}pw', 'F')"))};
                INSERT INTO `char` (char_id, account_id, char_num, name, base_level, job_level, str, agi, vit, `int`, dex, luk,
                                    max_hp, hp, max_sp, sp, last_map, last_x, last_y, sex) VALUES
                {string.Join(",\n", Enumerable.Range(0, Players).Select(i =>
                    $"({FirstChar + i}, {FirstAccount + i}, 0, 'Chaos{i}', 10, 5, 5, 5, 5, 5, 5, 5, 120, 100, 30, 20, '{maps[i % maps.Count]}', 150, 100, 'F')"))};
                """);
        }

        string? unavailable = ChaosNetwork.Unavailable;
        if (unavailable is null) Network = await ChaosNetwork.CreateAsync();
        (string addressA, string addressB) = Network is null ? ("127.0.0.1", "127.0.0.2") : (Network.SiloAddressA, Network.SiloAddressB);

        string keyFile = Path.Combine(_folder.FullName, "coordinator.pem");
        using (var identity = KeyFiles.CreatePrivate(keyFile)) CoordinatorKey = identity.PublicKey;
        string config = Path.Combine(_folder.FullName, "p2p.conf");
        File.WriteAllText(config, $"""
            distribution:
              heartbeat_timeout_ms: {ChaosDurations.HeartbeatTimeoutMs}
              reconnect_grace_ms: 300
              directory_refresh_ms: 200
              reminder_period_ms: 2000
            accounts:
              ticket_lifetime_ms: {ChaosDurations.TicketLifetimeMs}
            maps:
            {string.Concat(Maps.Select(m => $"  {m.Key}:\n    critical: {(m.Value.Critical ? "true" : "false")}\n    max_players: {m.Value.MaxPlayers}\n"))}
            """);
        int coordinatorPort = FreePort.Next(), dbProxyPort = FreePort.Next();
        string clusterId = "chaos" + Guid.NewGuid().ToString("N")[..8];
        SiloA = new ChaosSilo("A", addressA, coordinatorPort, dbProxyPort, ConnectionString, clusterId, keyFile, config);
        SiloB = new ChaosSilo("B", addressB, coordinatorPort, dbProxyPort, ConnectionString, clusterId, keyFile, config);
        await Task.WhenAll(SiloA.StartAsync(), SiloB.StartAsync());
        Coordinators = [new(IPAddress.Parse(addressA), coordinatorPort), new(IPAddress.Parse(addressB), coordinatorPort)];

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c =>
        {
            c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, SiloA.OrleansGatewayPort), new IPEndPoint(IPAddress.Loopback, SiloB.OrleansGatewayPort));
            c.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "p2pcluster"; });
            c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        _client = builder.Build();
        await _client.StartAsync();

        string endpoints = $"{addressA}:{coordinatorPort},{addressB}:{coordinatorPort}";
        string key = Convert.ToHexString(CoordinatorKey);
        int ports = 22_000 + Random.Shared.Next(0, 100) * 50;
        // P2P hosts first, one map each, so the normal maps land on them; the VPS takes the critical map and is the spare.
        Agents.Add(new ChaosAgent("p2p-1", "p2p", 1, endpoints, key, dbProxyPort, "127.0.0.1", ports, null));
        Agents.Add(new ChaosAgent("p2p-2", "p2p", 1, endpoints, key, dbProxyPort, "127.0.0.1", ports + 10, null));
        Agents.Add(Network is null
            ? new ChaosAgent("p2p-3", "p2p", 1, endpoints, key, dbProxyPort, "127.0.0.1", ports + 20, null)
            : new ChaosAgent("p2p-ns", "p2p", 1, endpoints, key, dbProxyPort, Network.AgentAddress, ports + 20, Network.Launcher));
        foreach (var agent in Agents) await agent.StartAsync();
        await WaitForMapsAsync(m => Maps.Keys.Where(n => !Maps[n].Critical).All(n => m[n].InstanceState == MapInstanceState.Running), TimeSpan.FromSeconds(60));
        var vps = new ChaosAgent("vps", "vps", 2, endpoints, key, dbProxyPort, "127.0.0.1", ports + 30, null);
        Agents.Add(vps);
        await vps.StartAsync();
        await WaitForMapsAsync(AllRunning, TimeSpan.FromSeconds(60));
    }

    /// <summary>New players for one test, each starting where its character is.</summary>
    public PlayerFleet NewFleet() => new([.. Enumerable.Range(0, Players).Select(i => new ChaosPlayer($"chaos{i}", $"chaos{i}pw", CharIds[i],
        Maps.Keys.ElementAt(i % Maps.Count), Coordinators, CoordinatorKey, [.. Maps.Keys], i))]);

    public static bool AllRunning(IReadOnlyDictionary<string, MapInfo> maps) =>
        maps.Values.All(m => m.Assignment is not null && m.InstanceState == MapInstanceState.Running && m.InstancePort > 0);

    /// <summary>Every map's state, asking again while a silo is dying or frozen.</summary>
    public async Task<Dictionary<string, MapInfo>> MapsAsync()
    {
        var result = new Dictionary<string, MapInfo>();
        foreach (string map in Maps.Keys) result[map] = await AskAsync(() => Grains.GetGrain<IMapGrain>(map).GetAsync());
        return result;
    }

    /// <summary>Asks the cluster, again after a failure (a dead or frozen silo) for up to 30 s.</summary>
    public static Task<T> AskAsync<T>(Func<Task<T>> ask) =>
        Eventually.SucceedsAsync(ask, _ => true, "an answer from the cluster", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

    /// <summary>Waits until <paramref name="done"/> holds for the maps; the maps as last seen, and whether it held.</summary>
    public Task<(Dictionary<string, MapInfo> Maps, bool Done)> WaitForMapsAsync(Func<Dictionary<string, MapInfo>, bool> done, TimeSpan timeout) =>
        Eventually.UntilAsync(MapsAsync, done, timeout, TimeSpan.FromMilliseconds(100));

    /// <summary>Starts again every silo and agent a fault left dead, and waits until every map runs.</summary>
    public async Task RestoreAsync()
    {
        // A silo that was declared dead while frozen ends itself when it wakes (issue 11, item 6): let it, then start it again.
        foreach (var silo in Silos.Where(s => s.Running))
            if (await MembershipStatusAsync(silo) == Dead && !await silo.ExitsWithinAsync(TimeSpan.FromSeconds(30))) silo.Process!.Kill();
        if (!SiloA.Running || !SiloB.Running) await Task.WhenAll(Silos.Where(s => !s.Running).Select(s => s.StartAsync()));
        foreach (var agent in Agents.Where(a => !a.Running)) await agent.StartAsync();
        var (maps, done) = await WaitForMapsAsync(AllRunning, TimeSpan.FromSeconds(30));
        if (!done)
        {
            // The cluster did not heal by itself (the test before reported it): as an operator would, restart the
            // agents holding a map that does not run — all of them when a map has no host at all, since a full VPS
            // keeps a critical map out — so that the next fault starts from a working cluster.
            var stuck = maps.Values.Where(m => m.InstanceState != MapInstanceState.Running).Select(m => m.Assignment?.HostId).ToHashSet();
            foreach (var agent in Agents.Where(a => stuck.Contains(a.HostId) || stuck.Contains(null)))
            {
                agent.Kill();
                await agent.StartAsync();
            }
            (maps, done) = await WaitForMapsAsync(AllRunning, TimeSpan.FromSeconds(30));
        }
        if (!done) throw new InvalidOperationException($"after restoring the cluster not every map runs:\n{string.Join("\n", maps.Values)}\n{Logs()}");
    }

    private const int Dead = 6;

    /// <summary>The Orleans membership status of the silo's latest incarnation (3 Active, 6 Dead), null if it has no row.</summary>
    private async Task<int?> MembershipStatusAsync(ChaosSilo silo)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Port = @port ORDER BY Generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("@cluster", silo.ClusterId);
        command.Parameters.AddWithValue("@port", silo.SiloPort);
        return await command.ExecuteScalarAsync() is { } status and not DBNull ? Convert.ToInt32(status) : null;
    }

    public string Logs() => string.Concat(Silos.Select(s => s.Logs())) + string.Concat(Agents.Select(a => a.Logs()));

    public async Task DisposeAsync()
    {
        foreach (var agent in Agents)
            foreach (var run in agent.Runs) await run.DisposeAsync();
        if (_client is not null)
        {
            try { await _client.StopAsync(); } catch (Exception) { }
            _client.Dispose();
        }
        foreach (var silo in new[] { SiloA, SiloB }.Where(s => s is not null))
            foreach (var run in silo.Runs) await run.DisposeAsync();
        if (Network is not null) await Network.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
