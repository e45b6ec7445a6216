using System.Diagnostics;
using System.Globalization;
using P2PCluster.Hosting;

namespace P2PCluster.LoadTool;

/// <summary>
/// What a heartbeat window's latency is made of, measured rather than guessed (issue 16: "find why p99 jumps between
/// 2,000 and 10,000 agents — timer alignment, thread-pool starvation, GC pauses, per-connection allocations"):
/// <list type="bullet">
/// <item>the node: how long it took to handle a HEARTBEAT once read (<c>p2p_gateway_heartbeat_duration_seconds</c>:
/// the host grain's call and the answer queued), what it allocated per heartbeat, its GC collections and pause time, lock contentions and thread-pool
/// work items, from two scrapes of its <c>/metrics</c>;</item>
/// <item>this generator: its own GC pause time and how late a 10 ms timer fires on its thread pool (a starved
/// generator adds its own delay to every round trip it times);</item>
/// <item>the heartbeats themselves: how evenly they are spread over the interval (aligned timers send in bursts),
/// and the p99 of each second of the window (a pause shows as a few bad seconds; a saturated node as all).</item>
/// </list>
/// </summary>
public sealed class HeartbeatWindowProbe : IAsyncDisposable
{
    private static readonly TimeSpan LagTick = TimeSpan.FromMilliseconds(10);
    private const string Handling = "p2p_gateway_heartbeat_duration_seconds";

    private readonly Scraper? _scraper;
    private readonly PrometheusText? _before;
    private readonly TimeSpan _pause0 = GC.GetTotalPauseDuration();
    private readonly int[] _collections0 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly List<double> _lagMs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _lag;

    private HeartbeatWindowProbe(Scraper? scraper, PrometheusText? before)
    {
        _scraper = scraper;
        _before = before;
        _lag = MeasureLagAsync(_stop.Token);
    }

    /// <param name="metrics">The node's <c>/metrics</c> URL; null: only the generator's side is measured.</param>
    public static async Task<HeartbeatWindowProbe> StartAsync(Uri? metrics, CancellationToken cancellationToken)
    {
        var scraper = metrics is null ? null : new Scraper(metrics);
        var before = scraper is null ? null : new PrometheusText(await scraper.TextAsync(cancellationToken));
        return new HeartbeatWindowProbe(scraper, before);
    }

    /// <summary>The node's heartbeat handling p99 over the window (upper bound of its histogram bucket, ms); NaN without metrics.</summary>
    public double NodeHandlingP99Ms { get; private set; } = double.NaN;

    /// <summary>The node's GC pause time over the window, ms; NaN without metrics.</summary>
    public double NodeGcPauseMs { get; private set; } = double.NaN;

    /// <summary>p99 of how late the generator's 10 ms timer fired, ms.</summary>
    public double GeneratorLagP99Ms { get; private set; } = double.NaN;

    /// <summary>Ends the window: scrapes the node again and prints what the window was made of.</summary>
    /// <param name="acks">The window's heartbeats: when each was sent and when its ack arrived (<see cref="Stopwatch"/> timestamps).</param>
    public async Task ReportAsync(IReadOnlyList<(long Sent, long Acked)> acks, TimeSpan interval, double seconds, CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _lag;
        var pause = GC.GetTotalPauseDuration() - _pause0;
        int[] collections = [GC.CollectionCount(0) - _collections0[0], GC.CollectionCount(1) - _collections0[1], GC.CollectionCount(2) - _collections0[2]];
        _lagMs.Sort();
        GeneratorLagP99Ms = Percentile.Of(_lagMs, 99);
        if (_scraper is not null && _before is not null)
        {
            var after = new PrometheusText(await _scraper.TextAsync(cancellationToken));
            var window = after.Since(_before);
            NodeHandlingP99Ms = window.Quantile(Handling, 0.99) is { Count: > 0 } q ? 1e3 * q.UpperBound : double.NaN;
            double? p50 = window.Quantile(Handling, 0.50) is { Count: > 0 } h ? 1e3 * h.UpperBound : null;
            NodeGcPauseMs = 1e3 * (window.Total("dotnet_gc_pause_time_seconds_total") ?? double.NaN);
            string Gen(string g) => (window.Total("dotnet_gc_collections_total", $"gc_heap_generation=\"{g}\"") ?? 0).ToString("F0", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  node inside: a HEARTBEAT handled (host grain call, ack queued) p50 ≤ {p50:F2} ms, p99 ≤ {NodeHandlingP99Ms:F2} ms (histogram bucket bounds); " +
                $"allocated {window.Total("dotnet_gc_heap_total_allocated_bytes_total") / Math.Max(1, acks.Count):F0} B per heartbeat; " +
                $"GC {Gen("gen0")}/{Gen("gen1")}/{Gen("gen2")} (gen0/1/2), paused {NodeGcPauseMs:F0} ms = {NodeGcPauseMs / (10 * seconds):F2}% of the window; " +
                $"{window.Total("dotnet_monitor_lock_contentions_total") / seconds:F0} lock contentions/s, " +
                $"{window.Total("dotnet_thread_pool_work_item_count_total") / seconds:F0} thread-pool items/s, queue {after.Total("dotnet_thread_pool_queue_length"):F0} at the end, " +
                $"{after.Total("dotnet_thread_pool_thread_count"):F0} pool threads"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  generator: GC {collections[0]}/{collections[1]}/{collections[2]}, paused {pause.TotalMilliseconds:F0} ms; a {LagTick.TotalMilliseconds:F0} ms timer fired late by " +
            $"p50 {Percentile.Of(_lagMs, 50):F1} ms, p99 {GeneratorLagP99Ms:F1} ms, max {(_lagMs.Count > 0 ? _lagMs[^1] : double.NaN):F1} ms"));
        Console.WriteLine("  heartbeats: " + Spread(acks, interval) + "; " + BySecond(acks));
    }

    /// <summary>How evenly the sends fall over the interval: the busiest and emptiest of 100 equal slots of it, against an even 1 %.</summary>
    private static string Spread(IReadOnlyList<(long Sent, long Acked)> acks, TimeSpan interval)
    {
        const int Buckets = 100;
        if (acks.Count == 0) return "none";
        long period = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        var counts = new int[Buckets];
        foreach (var (sent, _) in acks) counts[(int)(sent % period * Buckets / period)]++;
        return string.Create(CultureInfo.InvariantCulture,
            $"sent over the {interval.TotalMilliseconds:F0} ms interval in {Buckets} slots: busiest slot {100.0 * counts.Max() / acks.Count:F1}%, emptiest {100.0 * counts.Min() / acks.Count:F1}% (even: 1%)");
    }

    /// <summary>Each whole second's p99 (by send time): the median second, the worst three, and how many were over 5× the median.</summary>
    private static string BySecond(IReadOnlyList<(long Sent, long Acked)> acks)
    {
        if (acks.Count == 0) return "";
        long first = acks.Min(a => a.Sent);
        var seconds = acks.GroupBy(a => (a.Sent - first) / Stopwatch.Frequency)
            .Select(g => (Second: g.Key, P99: Percentile.Of([.. g.Select(a => Stopwatch.GetElapsedTime(a.Sent, a.Acked).TotalMilliseconds).Order()], 99)))
            .OrderBy(s => s.Second).ToList();
        var p99s = seconds.Select(s => s.P99).Order().ToList();
        double median = Percentile.Of(p99s, 50);
        var worst = seconds.OrderByDescending(s => s.P99).Take(3).Select(s => string.Create(CultureInfo.InvariantCulture, $"s{s.Second} {s.P99:F1}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"p99 of each second: median {median:F1} ms, worst {string.Join(", ", worst)} ms; {seconds.Count(s => s.P99 > 5 * median)} of {seconds.Count} seconds over 5× the median");
    }

    private async Task MeasureLagAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                long before = Stopwatch.GetTimestamp();
                await Task.Delay(LagTick, stop);
                _lagMs.Add(Math.Max(0, (Stopwatch.GetElapsedTime(before) - LagTick).TotalMilliseconds));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _lag;
        _stop.Dispose();
        _scraper?.Dispose();
    }
}
