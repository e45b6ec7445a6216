namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>metrics</c>: simulated hosts on each of the two silos (metrics on, metrics off) and how often they
/// heartbeat; scrapes of the metrics-on silo and the gap between two (over the exporter's 300 ms response cache, so
/// every scrape collects afresh) in how many rounds; the PING connections per silo, PINGs in flight on each, and the
/// measured round-trip window cut into slices that alternate between the two silos.
/// </summary>
public sealed record MetricsOptions(int Hosts, TimeSpan HeartbeatInterval, int Scrapes, TimeSpan ScrapeGap, int Rounds, int Connections, int InFlight,
    TimeSpan Window, TimeSpan Warmup, TimeSpan Prime, int Slices);
