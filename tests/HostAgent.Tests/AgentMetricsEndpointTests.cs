using System.Globalization;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary><c>metrics.listen</c> on a real agent process: off by default, loopback only, and a scrape promtool accepts.</summary>
public sealed class AgentMetricsEndpointTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The agent's families, as Prometheus names them (docs/monitoring.md).</summary>
    public static readonly string[] Families =
    [
        "p2p_agent_cpu_utilization_ratio", "p2p_agent_memory_utilization_ratio", "p2p_agent_network_throughput_bytes_per_second",
        "p2p_agent_maps_running", "p2p_agent_players", "p2p_agent_reconnects_total", "p2p_agent_db_proxy_retries_total", "p2p_agent_players_admitted_total",
    ];

    private static Dictionary<string, string> Environment(TestCoordinator coordinator, string metricsFile, (int Start, int End) ports) => new()
    {
        ["P2P_coordinator__endpoints"] = coordinator.EndpointText,
        ["P2P_coordinator__public_key"] = coordinator.PublicKeyHex,
        ["P2P_coordinator__heartbeat_interval_ms"] = "200",
        ["P2P_maps__port_range_start"] = ports.Start.ToString(),
        ["P2P_maps__port_range_end"] = ports.End.ToString(),
        ["P2P_maps__bind_address"] = "127.0.0.1",
        ["P2P_node__max_maps"] = "2",
        ["P2P_resources__metrics_file"] = metricsFile,
    };

    private static string LoadFile()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("p2p-load-").FullName, "metrics");
        File.WriteAllText(path, "cpu=42\nmemory=37\nnetwork=8\n");
        return path;
    }

    [Fact]
    public async Task ByDefaultTheAgentListensOnNothing()
    {
        await using var coordinator = new TestCoordinator();
        await using var agent = ProgramProcess.Start("HostAgent", [], Environment(coordinator, LoadFile(), TestPorts.Range(2)));
        await agent.WaitForLineAsync("Connected to coordinator", Timeout);
        await coordinator.NextSessionAsync(Timeout);
        // No map is assigned, so a listening socket could only be a metrics endpoint.
        Assert.Empty(ListeningPorts(agent.Id));
    }

    [Fact]
    public async Task ListenServesTheAgentFamiliesThatPromtoolAccepts()
    {
        await using var coordinator = new TestCoordinator();
        var ports = TestPorts.Range(2);
        int port = FreePort.Next();
        var env = Environment(coordinator, LoadFile(), ports);
        env["P2P_metrics__listen"] = $"127.0.0.1:{port}";
        await using var agent = ProgramProcess.Start("HostAgent", [], env);
        await agent.WaitForLineAsync("Connected to coordinator", Timeout);
        var session = await coordinator.NextSessionAsync(Timeout);
        await session.SendAsync(new AssignMapPacket("prontera", 1, 50));
        await session.WaitForAsync<HeartbeatPacket>(h => h.Maps.Any(m => m.State == MapRunState.Running), Timeout);

        var scrape = await ScrapeUntilAsync($"http://127.0.0.1:{port}/metrics", s => s.Value("p2p_agent_maps_running") == 1);
        output.WriteLine(scrape.Body);
        foreach (string family in Families) Assert.True(scrape.Families.ContainsKey(family), $"{family} missing:\n{scrape.Body}");
        Assert.Equal(0.42, scrape.Value("p2p_agent_cpu_utilization_ratio")!.Value, 3);
        Assert.Equal(0.37, scrape.Value("p2p_agent_memory_utilization_ratio")!.Value, 3);
        Assert.Equal(8 * 125_000, scrape.Value("p2p_agent_network_throughput_bytes_per_second")!.Value, 0);
        Assert.Equal(0, scrape.Value("p2p_agent_players"));
        Assert.Equal("gauge", scrape.Families["p2p_agent_maps_running"]);
        Assert.Equal("counter", scrape.Families["p2p_agent_reconnects_total"]);
        Assert.Empty(await scrape.LintAsync());
    }

    [Fact]
    public async Task ListenOnTheNetworkStopsStartNamingTheKey()
    {
        foreach (var (value, message) in new[]
        {
            ("0.0.0.0:9464", "metrics.listen = '0.0.0.0:9464': must be a loopback address"),
            ("192.168.1.20:9464", "metrics.listen = '192.168.1.20:9464': must be a loopback address"),
            ("localhost:9464", "metrics.listen = 'localhost:9464': must be empty (off) or a loopback address and port"),
            ("127.0.0.1:0", "metrics.listen = '127.0.0.1:0': must be empty (off) or a loopback address and port"),
        })
        {
            await using var agent = await ProgramProcess.RunAsync("HostAgent", [], new Dictionary<string, string>
            {
                ["P2P_coordinator__public_key"] = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
                ["P2P_metrics__listen"] = value,
            }, Timeout);
            output.WriteLine(agent.Output);
            Assert.Equal(2, agent.ExitCode);
            Assert.Contains(message, agent.Output);
        }
    }

    [Fact]
    public async Task ListenOnATakenPortStopsStartNamingTheKey()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        await using var coordinator = new TestCoordinator();
        var env = Environment(coordinator, LoadFile(), TestPorts.Range(2));
        env["P2P_metrics__listen"] = $"127.0.0.1:{port}";
        await using var agent = await ProgramProcess.RunAsync("HostAgent", [], env, Timeout);
        output.WriteLine(agent.Output);
        Assert.Equal(2, agent.ExitCode);
        Assert.Contains($"metrics.listen = '127.0.0.1:{port}': cannot serve metrics there", agent.Output);
    }

    // Polled every 100 ms: the exporter caches a scrape for 300 ms.
    private static Task<MetricsScrape> ScrapeUntilAsync(string url, Func<MetricsScrape, bool> done) =>
        Eventually.HoldsAsync(() => MetricsScrape.GetAsync(url), done, $"{url} shows what was expected", Timeout, TimeSpan.FromMilliseconds(100),
            describe: last => "\n" + last.Body);

    /// <summary>TCP ports the process listens on: its socket inodes (/proc/pid/fd) matched against /proc/net/tcp{,6} in state LISTEN.</summary>
    private static IReadOnlyList<int> ListeningPorts(int pid)
    {
        var inodes = Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target!["socket:[".Length..^1]).ToHashSet();
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.SelectMany(File.ReadLines).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[3] == "0A" && inodes.Contains(f[9]))
            .Select(f => int.Parse(f[1].Split(':')[1], NumberStyles.HexNumber)).ToList();
    }
}
