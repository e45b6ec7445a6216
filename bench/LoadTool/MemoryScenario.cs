using System.Diagnostics;
using System.Globalization;
using System.Text;
using MySqlConnector;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>memory</c>: the built p2p-silo as a child process on a throwaway MariaDB, holding at once many host
/// agents (simulated here, connected over the gateway and heartbeating), the maps it placed on them (reported
/// running) and many player sessions (each character's ticket requested and claimed at its map's host, as RESOLVE
/// and CLAIM_TICKET do, so every session grain is active and on its map). Reads the silo's resident memory from /proc
/// after each stage; bytes per grain are the growth over a stage divided by what the stage added.
/// </summary>
public static class MemoryScenario
{
    private const int ConnectParallelism = 32, SessionParallelism = 64, ConnectAttempts = 20, SessionAttempts = 3;
    private const long GoalBytes = 1536L * 1024 * 1024;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(MemoryOptions o, CancellationToken cancellationToken)
    {
        string limits = SystemLimits.Check(o.Hosts, descriptorsPerConnection: 1, "--hosts");
        if (o.Hosts * 5 < o.Maps) throw new LoadToolException($"--hosts {o.Hosts} cannot hold --maps {o.Maps}: each simulated host takes 5 maps");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory scenario: {o.Hosts} simulated hosts heartbeating every {o.HeartbeatInterval.TotalMilliseconds:F0} ms, {o.Maps} maps, {o.Sessions} player sessions on their maps, " +
            $"one silo process on MariaDB; {Environment.ProcessorCount} cores; {limits}"));

        await using var database = await ScenarioDatabase.StartAsync();
        string connectionString = await database.CreateDatabaseAsync("memory");
        await MariaDbServer.CreateRathenaTablesAsync(connectionString);
        var maps = Enumerable.Range(0, o.Maps).Select(i => $"m{i:D5}").ToArray();
        var seeding = Stopwatch.GetTimestamp();
        await SeedAsync(connectionString, o.Sessions, maps, cancellationToken);
        Console.WriteLine($"{o.Sessions} accounts and characters seeded in {Stopwatch.GetElapsedTime(seeding).TotalSeconds:F1} s");

        await using var silo = ChildSilo.Prepare(connectionString, o.Hosts, maps: maps);
        await silo.StartAsync();
        int pid = silo.Process!.Id;
        await Task.Delay(o.Settle, cancellationToken);
        var idle = ProcessMemory.Read(pid);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"silo process {pid} started, idle: rss {idle.ResidentMiB:F0} MiB"));

        var options = new SimulatedHostOptions(silo.Gateway, silo.CoordinatorKey) { HeartbeatInterval = o.HeartbeatInterval };
        var hosts = Enumerable.Range(0, o.Hosts).Select(i => new SimulatedHost(options, (ushort)(20000 + i % 40000))).ToArray();
        try
        {
            var connecting = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (host, token) => await ConnectAsync(host, token));
            Console.WriteLine($"{o.Hosts} hosts connected in {Stopwatch.GetElapsedTime(connecting).TotalSeconds:F1} s");

            await using var cluster = await DbProxyCluster.ConnectAsync(connectionString, cancellationToken);
            var settled = await new MapWatch(cluster.Grains, maps).WaitSettledAsync(hosts, SettleTimeout, cancellationToken);
            Console.WriteLine($"all {o.Maps} maps placed and reported running {settled.TotalSeconds:F1} s later");
            await Task.Delay(o.Settle, cancellationToken);
            var placed = ProcessMemory.Read(pid);
            double perHost = (placed.Resident - idle.Resident) / (double)(o.Hosts + o.Maps);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hosts and maps active: rss {placed.ResidentMiB:F0} MiB, {perHost:F0} bytes per host or map (host grain, connection, map grain)"));

            var entering = Stopwatch.GetTimestamp();
            int entered = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, o.Sessions), new ParallelOptions { MaxDegreeOfParallelism = SessionParallelism, CancellationToken = cancellationToken },
                async (i, _) =>
                {
                    var (charId, accountId, map) = Character(i, maps);
                    var session = cluster.Grains.GetGrain<IPlayerSessionGrain>(charId);
                    for (int attempt = 1; ; attempt++)
                    {
                        try
                        {
                            var grant = await session.RequestTicketAsync(accountId, map);
                            await session.ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
                            break;
                        }
                        catch (ClusterException e)
                        {
                            throw new LoadToolException($"putting char {charId} on {map}: {e.Code} {e.Message}", e);
                        }
                        catch (TimeoutException) when (attempt < SessionAttempts)
                        {
                            // A busy silo answered late: the claim may have gone through; if not, ask again.
                            if ((await session.GetAsync()).State == SessionState.OnMap) break;
                        }
                    }
                    int n = Interlocked.Increment(ref entered);
                    if (n % 20_000 == 0) Console.WriteLine($"  {n} sessions on their maps after {Stopwatch.GetElapsedTime(entering).TotalSeconds:F1} s");
                });
            await Task.Delay(o.Settle, cancellationToken);
            var full = ProcessMemory.Read(pid);
            double perSession = (full.Resident - placed.Resident) / (double)o.Sessions;
            double perGrain = (full.Resident - idle.Resident) / (double)(o.Hosts + o.Maps + o.Sessions);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{o.Sessions} sessions on their maps in {Stopwatch.GetElapsedTime(entering).TotalSeconds:F1} s: rss {full.ResidentMiB:F0} MiB (peak {full.PeakMiB:F0} MiB), {perSession:F0} bytes per session"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT memory sessions={o.Sessions} hosts={o.Hosts} maps={o.Maps} rss_mib={full.ResidentMiB:F0} peak_rss_mib={full.PeakMiB:F0} idle_rss_mib={idle.ResidentMiB:F0} " +
                $"hosts_maps_rss_mib={placed.ResidentMiB:F0} bytes_per_host_or_map={perHost:F0} bytes_per_session={perSession:F0} bytes_per_grain={perGrain:F0} goal_mib={GoalBytes / 1048576}"));
            return full.Resident <= GoalBytes ? 0 : 1;
        }
        finally
        {
            await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Connects as a real agent does on a busy node: a refused or failed handshake (the node's grain call timed out
    /// under the connect storm) is tried again after 250 ms, doubling up to 10 s, at most <see cref="ConnectAttempts"/> times.
    /// </summary>
    private static async Task ConnectAsync(SimulatedHost host, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await host.ConnectAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < ConnectAttempts && e is LoadToolException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 250 << Math.Min(attempt - 1, 6))), cancellationToken);
            }
        }
    }

    /// <summary>Character <paramref name="i"/>: its id, its account's, and the map it was saved on (spread evenly over the maps).</summary>
    private static (int CharId, int AccountId, string Map) Character(int i, string[] maps) => (150_000 + i, 2_000_000 + i, maps[i % maps.Length]);

    private static async Task SeedAsync(string connectionString, int count, string[] maps, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(2000))
        {
            var sql = new StringBuilder("INSERT INTO `login` (account_id, userid, user_pass, sex) VALUES ");
            sql.AppendJoin(", ", chunk.Select(i => string.Create(CultureInfo.InvariantCulture, $"({Character(i, maps).AccountId}, 'mem{i}', 'pw', 'M')")));
            sql.Append(";\nINSERT INTO `char` (char_id, account_id, char_num, name, sex, last_map, last_x, last_y) VALUES ");
            sql.AppendJoin(", ", chunk.Select(i =>
            {
                var (charId, accountId, map) = Character(i, maps);
                return string.Create(CultureInfo.InvariantCulture, $"({charId}, {accountId}, 0, 'mem{charId}', 'M', '{map}', {50 + i % 300}, {50 + i / 300 % 300})");
            }));
            await MariaDbServer.ExecuteAsync(connection, sql.ToString());
        }
    }
}
