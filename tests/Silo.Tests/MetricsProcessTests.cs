using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A live silo's scrape (the <c>p2p-demo</c>: host agents and players through the real gateway) at <c>/metrics</c> and
/// the seed's <c>/p2p/metrics</c>: the same families, accepted by <c>promtool check metrics</c>, and the gateway's moving.
/// </summary>
public sealed class MetricsProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The gateway's families, as Prometheus names them (docs/monitoring.md), present once players have played.</summary>
    public static readonly string[] GatewayFamilies =
    [
        "p2p_gateway_connections_total", "p2p_gateway_connections_active", "p2p_tickets_issued_total", "p2p_tickets_claimed_total",
        "p2p_logins_total", "p2p_db_proxy_saves_total", "p2p_gateway_handshake_duration_seconds", "p2p_gateway_heartbeat_duration_seconds",
        "p2p_gateway_resolve_duration_seconds",
    ];

    [Fact]
    public async Task DemoScrapePassesPromtoolOnBothPathsAndTheGatewayFamiliesMove()
    {
        using var key = new KeyFile();
        var env = SiloShutdownTests.Embedded(key, out _);
        string http = env["P2P_http__urls"];
        string config = Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf");
        await using var silo = ProgramProcess.Start("Demo", ["--config", config], env, assembly: "p2p-demo");
        output.WriteLine(await silo.WaitForLineAsync(" entered ", StartTimeout));

        var (metrics, seed) = await ScrapeBothAsync(http);
        output.WriteLine(metrics.Body);
        Assert.Equal(metrics.Families.Keys.Order(), seed.Families.Keys.Order());
        foreach (var scrape in new[] { metrics, seed })
        {
            var lint = await scrape.LintAsync();
            Assert.True(lint.Count == 0, "promtool check metrics:\n" + string.Join("\n", lint));
        }
        foreach (string family in GatewayFamilies) Assert.True(metrics.Families.ContainsKey(family), $"{family} missing");
        Assert.Equal("counter", metrics.Families["p2p_tickets_issued_total"]);
        Assert.Equal("histogram", metrics.Families["p2p_gateway_handshake_duration_seconds"]);
        Assert.True(metrics.Value("p2p_tickets_issued_total") > 0, "no ticket counted");
        Assert.True(metrics.Value("p2p_tickets_claimed_total") > 0, "no claim counted");
        Assert.True(metrics.Value("p2p_logins_total", "outcome=\"ok\"") > 0, "no login counted");
        Assert.True(metrics.Value("p2p_gateway_handshake_duration_seconds_count") > 0, "no handshake timed");
        Assert.True(metrics.Value("p2p_gateway_resolve_duration_seconds_count") > 0, "no resolve timed");
        // The demo agents heartbeat on: the heartbeat histogram keeps counting.
        double heartbeats = metrics.Value("p2p_gateway_heartbeat_duration_seconds_count") ?? 0;
        // Polled every 200 ms: the exporter caches a scrape for 300 ms.
        await Eventually.HoldsAsync(() => MetricsScrape.GetAsync(http + "/p2p/metrics"),
            later => later.Value("p2p_gateway_heartbeat_duration_seconds_count") > heartbeats, $"heartbeats still counted past {heartbeats}",
            StartTimeout, TimeSpan.FromMilliseconds(200), describe: later => $"{later.Value("p2p_gateway_heartbeat_duration_seconds_count")}");
    }

    /// <summary>Both paths scraped back to back until they list the same families (a family is born when first recorded).</summary>
    private static async Task<(MetricsScrape Metrics, MetricsScrape Seed)> ScrapeBothAsync(string http)
    {
        MetricsScrape metrics, seed;
        int attempts = 0;
        do
        {
            metrics = await MetricsScrape.GetAsync(http + "/metrics");
            seed = await MetricsScrape.GetAsync(http + "/p2p/metrics");
        }
        while (!metrics.Families.Keys.Order().SequenceEqual(seed.Families.Keys.Order()) && ++attempts < 5);
        return (metrics, seed);
    }
}
