using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// Two silo processes on MariaDB, both scraped: the p2p_cluster_* gauges come from one silo only (the one hosting the
/// cluster-state grain), so their sum over both scrapes is the true number of hosts and maps; a host agent killed
/// shows as p2p_failovers_total{cause="dead"} and as a dead host.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ClusterMetricsOnMariaDbTests(MariaDbFixture db, ITestOutputHelper output)
{
    private static readonly string[] Normal = ["geffen", "payon", "morocc"];
    private const string Critical = "prontera";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoSilosCountTheClusterOnceAndAKilledAgentCountsDeadFailovers()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("clustermetrics");
        string clusterId = "m" + Guid.NewGuid().ToString("N")[..8];
        using var key = new KeyFile();
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-cmetrics-").FullName, "p2p.conf");
        File.WriteAllText(config, $"""
            monitoring:
              metrics_interval: 300
            distribution:
              heartbeat_timeout_ms: 1500
              reconnect_grace_ms: 300
              directory_refresh_ms: 200
            maps:
              {Critical}:
                critical: true
            {string.Concat(Normal.Select(n => $"  {n}:\n"))}
            """);
        var a = SiloProcess.Start(connectionString, clusterId, key.Path, config);
        var b = SiloProcess.Start(connectionString, clusterId, key.Path, config);
        await using var _a = a.Process;
        await using var _b = b.Process;
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, a.SiloPort, ClusterOnMariaDbTests.Active, Deadline);
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, b.SiloPort, ClusterOnMariaDbTests.Active, Deadline);

        string publicKey = Convert.ToHexString(key.PublicKey);
        await using var p2p = await AgentProcess.StartAsync($"127.0.0.1:{a.CoordinatorPort}", publicKey, "p2p");
        await WaitForScrapesAsync("the P2P host runs the normal maps", s => Sum(s, "p2p_cluster_maps", ("state", "p2p")) == Normal.Length);
        // The VPS may fail over to silo A's gateway: it must survive silo B stopping below.
        await using var vps = await AgentProcess.StartAsync($"127.0.0.1:{b.CoordinatorPort},127.0.0.1:{a.CoordinatorPort}", publicKey, "vps");

        var both = await WaitForScrapesAsync("every host and map counted", s =>
            Sum(s, "p2p_cluster_hosts", ("kind", "p2p"), ("status", "online")) == 1
            && Sum(s, "p2p_cluster_hosts", ("kind", "vps"), ("status", "online")) == 1
            && Sum(s, "p2p_cluster_maps", ("state", "vps")) == 1
            && Sum(s, "p2p_cluster_silos_active") == 2);
        // The true numbers, not double: one silo reports the cluster, the other none of it.
        Assert.Equal(2, Sum(both, "p2p_cluster_hosts"));
        Assert.Equal(Normal.Length + 1, Sum(both, "p2p_cluster_maps"));
        Assert.Equal(Normal.Length, Sum(both, "p2p_cluster_maps", ("state", "p2p")));
        Assert.Single(both, s => s.Has("p2p_cluster_hosts"));
        Assert.Equal(Normal.Length + 1, Sum(both, "p2p_placements_total"));

        p2p.Kill();
        var after = await WaitForScrapesAsync("the killed host's maps counted as dead failovers", s =>
            Sum(s, "p2p_failovers_total", ("cause", "dead")) == Normal.Length
            && Sum(s, "p2p_cluster_maps", ("state", "vps")) == Normal.Length + 1
            && Sum(s, "p2p_cluster_hosts", ("kind", "p2p"), ("status", "dead")) == 1);
        Assert.Equal(0, Sum(after, "p2p_failovers_total", ("cause", "silent")));
        Assert.Equal(2, Sum(after, "p2p_cluster_hosts"));

        // The failover reached the cluster-state grain's alert window through the silos' tally reports.
        var snapshot = await SnapshotAsync(b.GatewayPort, clusterId, s => s.FailoversLast5Min == Normal.Length);
        Assert.Null(snapshot.DatabaseUnreachableSince);

        // The silo reporting the cluster stops: the other one takes the grain over (its tally reports re-activate it)
        // and reports the same cluster, the dead host included (persisted: no grain or directory knows it any more).
        var (leaving, staying) = after[0].Has("p2p_cluster_hosts") ? (a, b) : (b, a);
        leaving.Process.Signal(ProgramProcess.SigTerm);
        await leaving.Process.WaitForExitAsync(Deadline);
        var watchMove = Stopwatch.StartNew();
        var survivor = await Eventually.HoldsAsync(() => MetricsScrape.GetAsync($"http://127.0.0.1:{staying.HttpPort}/metrics"),
            s => s.Sum("p2p_cluster_silos_active") == 1 && s.Sum("p2p_cluster_hosts", ("kind", "p2p"), ("status", "dead")) == 1
                && s.Sum("p2p_cluster_hosts", ("kind", "vps"), ("status", "online")) == 1 && s.Sum("p2p_cluster_maps", ("state", "vps")) == Normal.Length + 1,
            "the surviving silo reports the cluster", Deadline, TimeSpan.FromMilliseconds(100),
            describe: s => $"\n{Cluster(s)}\n--- survivor ---\n{staying.Process.Output}");
        output.WriteLine($"the surviving silo reports the cluster {watchMove.ElapsedMilliseconds} ms after the other stopped");
        Assert.Equal(2, survivor.Sum("p2p_cluster_hosts"));

        async Task<MetricsScrape[]> WaitForScrapesAsync(string what, Func<MetricsScrape[], bool> done)
        {
            var watch = Stopwatch.StartNew();
            var scrapes = await Eventually.HoldsAsync(
                async () => new[] { await MetricsScrape.GetAsync($"http://127.0.0.1:{a.HttpPort}/metrics"), await MetricsScrape.GetAsync($"http://127.0.0.1:{b.HttpPort}/metrics") },
                done, what, Deadline, TimeSpan.FromMilliseconds(100),
                describe: s => $"\n--- silo A /metrics ---\n{Cluster(s[0])}\n--- silo B /metrics ---\n{Cluster(s[1])}\n"
                    + $"--- silo A ---\n{a.Process.Output}\n--- silo B ---\n{b.Process.Output}");
            output.WriteLine($"{what}: after {watch.ElapsedMilliseconds} ms");
            return scrapes;
        }
    }

    private static double Sum(IEnumerable<MetricsScrape> scrapes, string name, params (string, string)[] labels) => scrapes.Sum(s => s.Sum(name, labels));

    private static string Cluster(MetricsScrape scrape) =>
        string.Join("\n", scrape.Body.Split('\n').Where(l => l.StartsWith("p2p_cluster", StringComparison.Ordinal) || l.StartsWith("p2p_failovers", StringComparison.Ordinal)));

    private async Task<ClusterSnapshot> SnapshotAsync(int gatewayPort, string clusterId, Func<ClusterSnapshot, bool> done)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c =>
        {
            c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            c.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "p2pcluster"; });
        });
        using var client = builder.Build();
        await client.StartAsync();
        var grain = client.Services.GetRequiredService<IClusterClient>().GetGrain<IClusterStateGrain>(0);
        var snapshot = await Eventually.HoldsAsync(() => grain.GetSnapshotAsync(), done, "snapshot reached", Deadline, TimeSpan.FromMilliseconds(100));
        output.WriteLine($"snapshot: {snapshot.FailoversLast5Min} failovers in 5 min, {snapshot.SilosActive} silos");
        await client.StopAsync();
        return snapshot;
    }
}
