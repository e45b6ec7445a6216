using P2PCluster.Hosting;

namespace P2PCluster.Hosting.Tests;

/// <summary>Reading a Prometheus scrape: totals, totals of one label, quantiles, and what happened between two scrapes.</summary>
public sealed class PrometheusTextTests
{
    private const string Before = """
        # HELP dotnet_gc_collections_total Collections
        # TYPE dotnet_gc_collections_total counter
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 10
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 1
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.5
        p2p_heartbeat_seconds_bucket{le="0.001"} 90
        p2p_heartbeat_seconds_bucket{le="0.01"} 100
        p2p_heartbeat_seconds_bucket{le="+Inf"} 100
        """;

    private const string After = """
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 25
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 2
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 1
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.75
        p2p_heartbeat_seconds_bucket{le="0.001"} 100
        p2p_heartbeat_seconds_bucket{le="0.01"} 180
        p2p_heartbeat_seconds_bucket{le="+Inf"} 200
        """;

    [Fact]
    public void TotalsOverEveryLabelSetOrOneLabel()
    {
        var scrape = new PrometheusText(After);
        Assert.Equal(28, scrape.Total("dotnet_gc_collections_total"));
        Assert.Equal(2, scrape.Total("dotnet_gc_collections_total", "gc_heap_generation=\"gen1\""));
        Assert.Null(scrape.Total("dotnet_gc_collections_total", "gc_heap_generation=\"loh\""));
        Assert.Null(scrape.Total("absent_total"));
    }

    [Fact]
    public void TotalOfSeveralLabelsCountsOnlyTheLabelSetsThatHaveThemAll()
    {
        var scrape = new PrometheusText("""
            p2p_cluster_hosts{kind="p2p",status="dead"} 1
            p2p_cluster_hosts{kind="p2p",status="online"} 4
            p2p_cluster_hosts{kind="vps",status="dead"} 2
            """);
        Assert.Equal(1, scrape.Total("p2p_cluster_hosts", "kind=\"p2p\"", "status=\"dead\""));
        Assert.Equal(3, scrape.Total("p2p_cluster_hosts", "status=\"dead\""));
        Assert.Null(scrape.Total("p2p_cluster_hosts", "kind=\"vps\"", "status=\"online\""));
    }

    [Fact]
    public void SinceIsWhatCountersAndHistogramsGainedBetweenTwoScrapes()
    {
        var window = new PrometheusText(After).Since(new PrometheusText(Before));
        Assert.Equal(15, window.Total("dotnet_gc_collections_total", "gc_heap_generation=\"gen0\""));
        Assert.Equal(2, window.Total("dotnet_gc_collections_total", "gc_heap_generation=\"gen1\"")); // absent before: counted from 0
        Assert.Equal(0, window.Total("dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""));
        Assert.Equal(0.25, window.Total("dotnet_gc_pause_time_seconds_total")!.Value, 6);
        // Of the window's 100 observations 10 were ≤ 1 ms, 80 more ≤ 10 ms and 20 above: p50 ≤ 10 ms, p99 past the last finite bucket.
        Assert.Equal((100, 0.01, 0.01), new PrometheusText(After).Since(new PrometheusText(Before)).Quantile("p2p_heartbeat_seconds", 0.5));
        Assert.Equal(double.PositiveInfinity, window.Quantile("p2p_heartbeat_seconds", 0.99)!.Value.UpperBound);
        // Before, 90 of 100 were ≤ 1 ms: the whole-life p50 is 1 ms, the window's is not.
        Assert.Equal(0.001, new PrometheusText(Before).Quantile("p2p_heartbeat_seconds", 0.5)!.Value.UpperBound);
    }
}
