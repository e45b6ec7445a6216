namespace P2PCluster.Diagnostic.Tests;

/// <summary>
/// --performance reads the p99 from a histogram's cumulative buckets summed over label sets, as Prometheus'
/// histogram_quantile bounds it; a scrape with known buckets (served by <see cref="FakeAdminApi"/>) gives known answers.
/// </summary>
public sealed class PerformanceTests
{
    private const string Metrics = """
        # TYPE p2p_gateway_heartbeat_duration_seconds histogram
        p2p_gateway_heartbeat_duration_seconds_bucket{port="a",le="0.001"} 25
        p2p_gateway_heartbeat_duration_seconds_bucket{port="a",le="0.01"} 45
        p2p_gateway_heartbeat_duration_seconds_bucket{port="a",le="0.25"} 49
        p2p_gateway_heartbeat_duration_seconds_bucket{port="a",le="0.5"} 50
        p2p_gateway_heartbeat_duration_seconds_bucket{port="a",le="+Inf"} 50
        p2p_gateway_heartbeat_duration_seconds_bucket{port="b",le="0.001"} 25
        p2p_gateway_heartbeat_duration_seconds_bucket{port="b",le="0.01"} 45
        p2p_gateway_heartbeat_duration_seconds_bucket{port="b",le="0.25"} 50
        p2p_gateway_heartbeat_duration_seconds_bucket{port="b",le="0.5"} 50
        p2p_gateway_heartbeat_duration_seconds_bucket{port="b",le="+Inf"} 50
        p2p_gateway_heartbeat_duration_seconds_sum 3.2
        p2p_gateway_heartbeat_duration_seconds_count 100
        # TYPE p2p_gateway_resolve_duration_seconds histogram
        p2p_gateway_resolve_duration_seconds_bucket{le="0.01"} 90
        p2p_gateway_resolve_duration_seconds_bucket{le="10"} 98
        p2p_gateway_resolve_duration_seconds_bucket{le="+Inf"} 100
        p2p_gateway_resolve_duration_seconds_sum 900
        p2p_gateway_resolve_duration_seconds_count 100
        # TYPE p2p_db_proxy_save_duration_seconds histogram
        p2p_db_proxy_save_duration_seconds_bucket{le="0.005"} 0
        p2p_db_proxy_save_duration_seconds_bucket{le="+Inf"} 0
        p2p_db_proxy_save_duration_seconds_sum 0
        p2p_db_proxy_save_duration_seconds_count 0
        # TYPE dotnet_process_cpu_time_seconds_total counter
        dotnet_process_cpu_time_seconds_total{cpu_mode="user"} 12.5
        dotnet_process_cpu_time_seconds_total{cpu_mode="system"} 2.5
        # TYPE dotnet_process_memory_working_set_bytes gauge
        dotnet_process_memory_working_set_bytes 104857600

        """;

    [Fact]
    public async Task P99IsReadFromTheBucketsAndJudgedAgainstTheThreshold()
    {
        await using var api = new FakeAdminApi(new Dictionary<string, string>
        {
            ["/metrics"] = Metrics,
            ["/api/v1/hosts?limit=500&offset=0"] = """{"total":0,"offset":0,"items":[]}""",
            ["/api/v1/hosts?limit=500&offset=0&status=online"] = """{"total":0,"offset":0,"items":[]}""",
            ["/api/v1/maps"] = """{"items":[]}""",
            ["/api/v1/network"] = """{"p2pPaused":false,"pausedAt":null,"pausedBy":null,"resetGeneration":0}""",
        });
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-diag-perf-").FullName, "p2p.conf");
        File.WriteAllText(config, "security:\n  encryption_enabled: true\n");

        var run = await DiagnosticRun.RunAsync("--config", config, "--api-url", api.ApiUrl, "--performance", "--slow-ms", "100", "--json");

        Assert.True(run.ExitCode == 5, run.Output);
        // 100 heartbeats over two label sets: the 99th falls in the 0.25 s bucket (99 at or under it), over 100 ms but not 400.
        var heartbeat = run.One("performance/heartbeat_latency");
        Assert.Equal("warning", DiagnosticRun.SeverityOf(heartbeat));
        Assert.Contains("p99 at most 250 ms over 100 sample(s)", DiagnosticRun.EvidenceOf(heartbeat));
        // Two of 100 resolves past the last finite bucket: the p99 is beyond it.
        var resolve = run.One("performance/resolve_latency");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(resolve));
        Assert.Contains("p99 above 10000 ms (the largest bucket)", DiagnosticRun.EvidenceOf(resolve));
        var save = run.One("performance/save_latency");
        Assert.Equal("ok", DiagnosticRun.SeverityOf(save));
        Assert.Contains("no samples", DiagnosticRun.EvidenceOf(save));
        // The CPU counter did not move between the two scrapes.
        Assert.Contains("used 0 % of its 1 core(s)", DiagnosticRun.EvidenceOf(run.One("performance/silo_cpu")));
        Assert.Contains("uses 100 MiB (working set)", DiagnosticRun.EvidenceOf(run.One("performance/silo_memory")));
    }
}
