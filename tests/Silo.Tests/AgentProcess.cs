using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>Host agent processes for the process tests: each with its own map ports and a fixed, light load.</summary>
public static class AgentProcess
{
    private static int _nextPortBlock = 21_000 + Random.Shared.Next(0, 100) * 60;

    /// <summary>
    /// Starts a host agent against <paramref name="coordinators"/> ("host:port,…") and the database proxy on
    /// <paramref name="dbProxyPort"/> of the same host (without one, a port nothing listens on); waits until it is connected.
    /// </summary>
    public static async Task<ProgramProcess> StartAsync(string coordinators, string coordinatorKey, string kind, string? metricsFile = null, int maxMaps = 5,
        int? dbProxyPort = null, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        int start = Interlocked.Add(ref _nextPortBlock, 10) - 10;
        var env = new Dictionary<string, string>
        {
            ["P2P_coordinator__endpoints"] = coordinators,
            ["P2P_coordinator__public_key"] = coordinatorKey,
            ["P2P_coordinator__heartbeat_interval_ms"] = "200",
            // Below the 1500 ms heartbeat timeout of DistributionCluster (and the 3000 ms default) by the documented margin.
            ["P2P_coordinator__lease_ms"] = "1000",
            ["P2P_identity__kind"] = kind,
            ["P2P_node__max_maps"] = maxMaps.ToString(),
            ["P2P_maps__port_range_start"] = start.ToString(),
            ["P2P_maps__port_range_end"] = (start + 9).ToString(),
            ["P2P_maps__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = (dbProxyPort ?? FreePort.Next()).ToString(),
        };
        // The machine running the tests is busy (its real cpu often tops the 80 % limit, which would make every host
        // ineligible): agents report a fixed, light load unless a test says otherwise. Real metrics have their own tests.
        if (metricsFile is null)
        {
            metricsFile = Path.Combine(Directory.CreateTempSubdirectory("p2p-load-").FullName, "metrics");
            File.WriteAllText(metricsFile, "cpu=10\nmemory=10\nnetwork=1\n");
        }
        env["P2P_resources__metrics_file"] = metricsFile;
        if (extraEnvironment is not null) foreach (var (k, v) in extraEnvironment) env[k] = v;
        var agent = ProgramProcess.Start("HostAgent", [], env);
        try
        {
            await agent.WaitForLineAsync("Connected to coordinator", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
        return agent;
    }

    /// <summary>The host id an agent logged when it connected.</summary>
    public static string HostIdOf(ProgramProcess agent)
    {
        string line = agent.Output.Split('\n').First(l => l.Contains("Connected to coordinator"));
        int at = line.IndexOf(" as ", StringComparison.Ordinal) + 4;
        return line[at..line.IndexOf(' ', at)];
    }
}
