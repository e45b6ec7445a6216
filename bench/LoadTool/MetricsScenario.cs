using System.Diagnostics;
using System.Globalization;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>metrics</c>: two built p2p-silo child processes on the embedded default, one with <c>http.metrics</c>
/// on and one with it off (no OpenTelemetry meter provider at all), each with the same number of simulated hosts
/// heartbeating from a fleet process of its own. Scrapes of the metrics-on silo's /metrics, with only its hosts
/// connected: their time, and the silo CPU each costs (in scrape windows against quiet windows of the same length,
/// alternating). Then, with the off silo's hosts connected too, cluster PINGs per second through each gateway, in
/// slices alternating on/off.
/// </summary>
public static class MetricsScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(MetricsOptions o, CancellationToken cancellationToken)
    {
        string limits = SystemLimits.Check(2 * o.Connections, descriptorsPerConnection: 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"metrics scenario: two silo processes (embedded default; http.metrics on / off), {o.Hosts} simulated hosts on each (every 10th a VPS) from a fleet process of its own, " +
            $"one heartbeat each every {o.HeartbeatInterval.TotalMilliseconds:F0} ms; {o.Scrapes} scrapes of the on silo {o.ScrapeGap.TotalMilliseconds:F0} ms apart in {o.Rounds} rounds, " +
            $"each after a quiet window as long; then cluster PINGs ({o.InFlight} in flight on {o.Connections} connections per silo), {o.Window.TotalSeconds:F0} s per silo in {o.Slices} alternating slices; " +
            $"{Environment.ProcessorCount} cores; {limits}"));

        int connections = o.Hosts + o.Connections;
        await using var on = ChildSilo.Prepare("", connections, http: true, metrics: true);
        await using var off = ChildSilo.Prepare("", connections, http: true, metrics: false);
        await Task.WhenAll(on.StartAsync(), off.StartAsync());
        Console.WriteLine($"silo with metrics: pid {on.Process!.Id}, gateway {on.Gateway}, {on.Http}metrics; silo without: pid {off.Process!.Id}, gateway {off.Gateway}");

        // The scrapes are measured with only the metrics-on silo's hosts connected: on two cores, two silos each with
        // 10,000 heartbeating hosts (and their fleets) kept the machine ~195 % busy, so a scrape's time was mostly its
        // wait for a core (p50 181 ms for 19 ms of CPU). The off silo's hosts connect afterwards, for the PING slices.
        await using var onFleet = FleetProcess.Start(on.Gateway, on.CoordinatorKey, o.Hosts, o.HeartbeatInterval);
        Console.WriteLine($"fleet process {onFleet.Id} (metrics on) connecting…");
        Console.WriteLine($"  {await onFleet.ConnectedAsync()}");
        await Task.Delay(Settle, cancellationToken);

        using var scraper = new Scraper(new Uri(on.Http!, "metrics"));
        var first = await scraper.ScrapeAsync(cancellationToken); // unmeasured: the first collection JITs the exporter
        Console.WriteLine($"first scrape (unmeasured): {first.Milliseconds:F0} ms, {first.Bytes} bytes, {first.Series} series");
        var scrapes = await ScrapeRoundsAsync(on, off, scraper, o, cancellationToken);

        await using var offFleet = FleetProcess.Start(off.Gateway, off.CoordinatorKey, o.Hosts, o.HeartbeatInterval);
        Console.WriteLine($"fleet process {offFleet.Id} (metrics off) connecting…");
        Console.WriteLine($"  {await offFleet.ConnectedAsync()}");
        await Task.Delay(Settle, cancellationToken);

        var target = (ChildSilo silo, string name) => new LoadTarget(name, silo.Gateway, silo.CoordinatorKey, Encrypted: true);
        await using var offLoad = await LoadGenerator.OpenAsync(target(off, "metrics off"), o.Connections, cancellationToken);
        await using var onLoad = await LoadGenerator.OpenAsync(target(on, "metrics on"), o.Connections, cancellationToken);
        await offLoad.PrimeAsync(o.InFlight, [PingPacket.ThroughCluster], o.Prime, cancellationToken);
        await onLoad.PrimeAsync(o.InFlight, [PingPacket.ThroughCluster], o.Prime, cancellationToken);
        var slices = new ScenarioOptions(o.Connections, o.Window, o.Warmup, o.InFlight, false, o.Prime, o.Slices);
        var (withoutMetrics, withMetrics) = await LoadWindow.AlternateAsync(
            (warmup, window) => offLoad.MeasureAsync("cluster", o.InFlight, PingPacket.ThroughCluster, warmup, window, cancellationToken),
            (warmup, window) => onLoad.MeasureAsync("cluster", o.InFlight, PingPacket.ThroughCluster, warmup, window, cancellationToken),
            slices);
        double overhead = 100 * (withoutMetrics.RoundTripsPerSecond - withMetrics.RoundTripsPerSecond) / withoutMetrics.RoundTripsPerSecond;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT metrics hosts={o.Hosts} scrapes={scrapes.Count} scrape_p99_ms={scrapes.P99:F1} metrics_overhead_pct={overhead:F1} " +
            $"scrape_p50_ms={scrapes.P50:F1} scrape_max_ms={scrapes.Max:F1} scrape_cpu_ms={scrapes.CpuMilliseconds:F1} scrape_bytes={scrapes.Bytes} scrape_series={scrapes.Series} " +
            $"on_rps={withMetrics.RoundTripsPerSecond:F0} off_rps={withoutMetrics.RoundTripsPerSecond:F0} " +
            $"heartbeat_cpu_on_pct={scrapes.QuietOnPercent:F1} connections={o.Connections} in_flight={o.InFlight}"));
        return 0;
    }

    private sealed record ScrapeResult(int Count, double P50, double P99, double Max, double CpuMilliseconds, int Bytes, int Series, double QuietOnPercent, double QuietOffPercent);

    /// <summary>
    /// Rounds of a quiet window, then a scrape window as long (the off silo idle meanwhile, as a check on noise): the on
    /// silo's CPU minus the off silo's, in the scrape windows less in the quiet windows, is what the scrapes cost.
    /// </summary>
    private static async Task<ScrapeResult> ScrapeRoundsAsync(ChildSilo on, ChildSilo off, Scraper scraper, MetricsOptions o, CancellationToken cancellationToken)
    {
        int perRound = Math.Max(1, (o.Scrapes + o.Rounds - 1) / o.Rounds);
        var span = o.ScrapeGap * perRound;
        var latencies = new List<double>();
        Scraper.Scrape last = default!;
        (TimeSpan On, TimeSpan Off, double Seconds) quiet = default, scraping = default;
        for (int round = 0; round < o.Rounds; round++)
        {
            var q = await MeasureBothAsync(on, off, () => Task.Delay(span, cancellationToken));
            var s = await MeasureBothAsync(on, off, async () =>
            {
                for (int i = 0; i < perRound; i++)
                {
                    long started = Stopwatch.GetTimestamp();
                    last = await scraper.ScrapeAsync(cancellationToken);
                    latencies.Add(last.Milliseconds);
                    var rest = o.ScrapeGap - Stopwatch.GetElapsedTime(started);
                    if (rest > TimeSpan.Zero) await Task.Delay(rest, cancellationToken);
                }
            });
            quiet = (quiet.On + q.On, quiet.Off + q.Off, quiet.Seconds + q.Seconds);
            scraping = (scraping.On + s.On, scraping.Off + s.Off, scraping.Seconds + s.Seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: quiet {q.Seconds:F1} s: silo cpu on {100 * q.On.TotalSeconds / q.Seconds:F1}%, off {100 * q.Off.TotalSeconds / q.Seconds:F1}%, machine busy {q.Busy:F0}% | " +
                $"{perRound} scrapes over {s.Seconds:F1} s: on {100 * s.On.TotalSeconds / s.Seconds:F1}%, off {100 * s.Off.TotalSeconds / s.Seconds:F1}%, machine busy {s.Busy:F0}% (% of one core)"));
        }
        latencies.Sort();
        double extra = (scraping.On - scraping.Off).TotalSeconds - (quiet.On - quiet.Off).TotalSeconds * scraping.Seconds / quiet.Seconds;
        double cpuMs = 1e3 * extra / latencies.Count;
        var result = new ScrapeResult(latencies.Count, Percentile.Of(latencies, 50), Percentile.Of(latencies, 99), latencies[^1], cpuMs, last.Bytes, last.Series,
            100 * quiet.On.TotalSeconds / quiet.Seconds, 100 * quiet.Off.TotalSeconds / quiet.Seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Count} scrapes of {result.Bytes} bytes, {result.Series} series: p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, max {result.Max:F1} ms; " +
            $"silo cpu per scrape {cpuMs:F1} ms ({cpuMs / 15 / 10:F2}% of one core at a 15 s scrape interval); heartbeats alone: silo cpu {result.QuietOnPercent:F1}% of one core"));
        return result;
    }

    private static async Task<(TimeSpan On, TimeSpan Off, double Seconds, double Busy)> MeasureBothAsync(ChildSilo on, ChildSilo off, Func<Task> during)
    {
        var on0 = ProcessCpu.Read(on.Process!.Id);
        var off0 = ProcessCpu.Read(off.Process!.Id);
        var own0 = LoadSample.Take(0);
        await during();
        var own1 = LoadSample.Take(0);
        var on1 = ProcessCpu.Read(on.Process.Id);
        var off1 = ProcessCpu.Read(off.Process.Id);
        var window = Measurement.Between("machine", "window", 0, own0, own1);
        return ((on1 - on0).Total, (off1 - off0).Total, window.Seconds, window.MachineBusyPercent);
    }
}
