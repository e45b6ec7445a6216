using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>placement</c>: placement decisions per second from the real <see cref="IHostDirectoryGrain"/> in the
/// in-process silo, over <see cref="PlacementOptions.Hosts"/> candidates that keep refreshing their entries, from many
/// concurrent callers making real grain calls; optionally alternated with the linear baseline
/// (<see cref="LinearDirectoryGrain"/>) fed the same hosts and the same refreshes.
/// </summary>
public static class PlacementScenario
{
    private static readonly TimeSpan RefreshTick = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(PlacementOptions options, CancellationToken cancellationToken)
    {
        var fleet = new SimulatedFleet(options.Hosts, seed: 1);
        int vpsHosts = Enumerable.Range(0, fleet.Count).Count(i => fleet.Kind(i) == HostKind.Vps);
        string slicing = options.Linear ? string.Create(CultureInfo.InvariantCulture, $" in {options.Slices} slices alternating linear/indexed") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"placement scenario: {fleet.Count} hosts ({vpsHosts} VPS), {options.Callers} callers with {PlacementLoad.Policies.Length} maps each, 1 call in flight per caller, " +
            $"every host refreshed every {options.Refresh.TotalSeconds:0.###} s; {options.Window.TotalSeconds:F0} s measured per directory{slicing}; " +
            $"{Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));

        await using var silo = await InProcessGateway.StartAsync(encryption: false, connections: 1, cancellationToken);
        var indexed = DirectoryTarget.Indexed(silo.Grains);
        var linear = DirectoryTarget.Linear(silo.Grains);
        DirectoryTarget[] targets = options.Linear ? [linear, indexed] : [indexed];
        var load = new PlacementLoad(fleet, options.Callers);

        var initial = new Random(2);
        foreach (var target in targets)
            await Task.WhenAll(Enumerable.Range(0, fleet.Count).Select(i => target.UpsertAsync(fleet.Entry(i, initial))));

        using var stopRefresh = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var refreshStarted = Stopwatch.GetTimestamp();
        var refreshing = RefreshAsync(fleet, targets, options.Refresh, stopRefresh.Token);
        Measurement measuredIndexed;
        Measurement? measuredLinear = null;
        try
        {
            foreach (var target in targets) await load.PrimeAsync(target, options.Prime, cancellationToken);
            if (options.Linear)
            {
                (measuredLinear, measuredIndexed) = await LoadWindow.AlternateAsync(
                    (warmup, window) => load.MeasureAsync(linear, warmup, window, cancellationToken),
                    (warmup, window) => load.MeasureAsync(indexed, warmup, window, cancellationToken),
                    options.Windows);
            }
            else
            {
                measuredIndexed = await load.MeasureAsync(indexed, options.Warmup, options.Window, cancellationToken);
                Console.WriteLine(measuredIndexed.Describe());
            }
        }
        finally
        {
            await stopRefresh.CancelAsync();
        }
        long upserts = await refreshing;
        double refreshPerSecond = upserts / Stopwatch.GetElapsedTime(refreshStarted).TotalSeconds / targets.Length;

        var keys = new List<string>
        {
            Key("per_s", measuredIndexed.RoundTripsPerSecond, "F0"), Key("hosts", fleet.Count, "F0"), Key("callers", options.Callers, "F0"),
            Key("seconds", options.Window.TotalSeconds, "F0"), Key("refresh_s", options.Refresh.TotalSeconds, "0.###"),
        };
        keys.AddRange(Describe(indexed, load.Tally(indexed), measuredIndexed, prefix: ""));
        if (measuredLinear is not null)
        {
            keys.AddRange(Describe(linear, load.Tally(linear), measuredLinear, prefix: "linear_"));
            keys.Add(Key("speedup", measuredIndexed.RoundTripsPerSecond / measuredLinear.RoundTripsPerSecond, "F1"));
        }
        keys.Add(Key("refresh_per_s", refreshPerSecond, "F0"));
        Console.WriteLine($"RESULT placement {string.Join(' ', keys)}");
        return 0;
    }

    /// <summary>Prints the window's latencies and outcomes; returns its keys for the RESULT line.</summary>
    private static IEnumerable<string> Describe(DirectoryTarget target, PlacementTally tally, Measurement measured, string prefix)
    {
        var l = tally.Latency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{target.Name,-9} latency µs mean {l.Mean():F0} p50 {l.Percentile(0.5):F0} p90 {l.Percentile(0.9):F0} p99 {l.Percentile(0.99):F0} p99.9 {l.Percentile(0.999):F0} | " +
            $"{tally.Completed:N0} decisions, {100.0 * tally.Vps / Math.Max(1, tally.Completed):F1} % to VPS, {tally.Unplaced} found no host"));
        return
        [
            Key($"{prefix}mean_us", l.Mean(), "F0"), Key($"{prefix}p50_us", l.Percentile(0.5), "F0"), Key($"{prefix}p99_us", l.Percentile(0.99), "F0"),
            Key($"{prefix}cpu_us", measured.CpuMicrosecondsPerRoundTrip, "F1"), Key($"{prefix}alloc_b", measured.AllocatedBytesPerRoundTrip, "F0"),
            Key($"{prefix}unplaced", tally.Unplaced, "F0"),
        ];
    }

    private static string Key(string name, double value, string format) => $"{name}={value.ToString(format, CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Each host's grain refreshes its entry once per <paramref name="period"/> (distribution.directory_refresh_ms),
    /// spread evenly: every 50 ms the next slice of the fleet is upserted into every directory. Returns the upserts made.
    /// </summary>
    private static async Task<long> RefreshAsync(SimulatedFleet fleet, DirectoryTarget[] targets, TimeSpan period, CancellationToken stop)
    {
        int perTick = Math.Max(1, (int)Math.Ceiling(fleet.Count * (RefreshTick / period)));
        var random = new Random(3);
        var batch = new List<Task>(perTick * targets.Length);
        long upserts = 0;
        int next = 0;
        using var timer = new PeriodicTimer(RefreshTick);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                batch.Clear();
                for (int i = 0; i < perTick; i++, next = (next + 1) % fleet.Count)
                {
                    var entry = fleet.Entry(next, random);
                    foreach (var target in targets) batch.Add(target.UpsertAsync(entry));
                }
                await Task.WhenAll(batch);
                upserts += batch.Count;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return upserts;
    }
}
