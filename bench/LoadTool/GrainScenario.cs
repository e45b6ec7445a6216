using System.Globalization;
using System.Runtime;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>grain</c>: the grain call behind a ThroughCluster PING (<see cref="IGatewayProbeGrain"/>) without the
/// network, from as many concurrent callers as the gateway scenario has connections, in the same in-process silo.
/// Separates what Orleans costs per call from what the sockets cost per frame.
/// </summary>
public static class GrainScenario
{
    private const int Stride = 16; // one cache line (and then some) per caller's counter

    public static async Task<int> RunAsync(ScenarioOptions options, CancellationToken cancellationToken)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grain scenario: {options.Connections} callers; per kind and depth {options.Window.TotalSeconds:F0} s measured in {options.Slices} slices alternating fresh/cached, each after a warm-up; " +
            $"1 and {options.Pipeline} calls in flight per caller; {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
        await using var silo = await InProcessGateway.StartAsync(encryption: true, options.Connections, cancellationToken);
        var grains = silo.Grains;
        var cached = grains.GetGrain<IGatewayProbeGrain>(0);

        await PrimeAsync(grains, options, cancellationToken);

        var rps = new Dictionary<string, double>();
        foreach (int inFlight in (int[])[1, options.Pipeline])
        {
            string prefix = inFlight == 1 ? "" : "pipelined_";
            // "fresh" resolves the reference on every call, as GatewaySession does; "cached" reuses one.
            var (fresh, reused) = await LoadWindow.AlternateAsync(
                (warmup, window) => MeasureAsync("fresh", inFlight, () => grains.GetGrain<IGatewayProbeGrain>(0), options.Connections, warmup, window, cancellationToken),
                (warmup, window) => MeasureAsync("cached", inFlight, () => cached, options.Connections, warmup, window, cancellationToken),
                options);
            rps[$"{prefix}fresh_cps"] = fresh.RoundTripsPerSecond;
            rps[$"{prefix}cached_cps"] = reused.RoundTripsPerSecond;
        }

        rps["ratio"] = rps["cached_cps"] / rps["fresh_cps"];
        rps["pipelined_ratio"] = rps["pipelined_cached_cps"] / rps["pipelined_fresh_cps"];
        string keys = string.Join(' ', rps.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Value.ToString(r.Key.EndsWith("ratio", StringComparison.Ordinal) ? "F2" : "F0", CultureInfo.InvariantCulture)}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT grain callers={options.Connections} pipeline={options.Pipeline} seconds={options.Window.TotalSeconds:F0} {keys}"));
        return 0;
    }

    /// <summary>
    /// Every caller, unmeasured, half 1 in flight and half pipelined. Unlike the gateway (see <see cref="LoadWindow.PrimeAsync"/>)
    /// this primes at full load: with only a few callers primed, the first window still ran at a third of the speed of
    /// the next ones (the process was still warming up: tiered JIT, the server GC adapting to the allocation rate).
    /// </summary>
    private static Task PrimeAsync(IGrainFactory grains, ScenarioOptions options, CancellationToken cancellationToken) =>
        LoadWindow.PrimeAsync("grain", options.Connections, async (caller, stop) =>
        {
            int inFlight = caller % 2 == 0 ? 1 : options.Pipeline;
            var batch = new Task<long>[inFlight];
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < inFlight; i++) batch[i] = grains.GetGrain<IGatewayProbeGrain>(0).PingAsync();
                foreach (var call in batch) await call;
            }
        }, options.Prime, cancellationToken);

    private static Task<Measurement> MeasureAsync(string kind, int inFlight, Func<IGatewayProbeGrain> probe, int callers,
        TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        var counts = new long[callers * Stride];
        return LoadWindow.MeasureAsync("grain", kind, inFlight, callers, RunAsync, Completed, warmup, window, cancellationToken);

        async Task RunAsync(int caller, CancellationToken stop)
        {
            var batch = new Task<long>[inFlight];
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < inFlight; i++) batch[i] = probe().PingAsync();
                foreach (var call in batch) await call;
                Volatile.Write(ref counts[caller * Stride], counts[caller * Stride] + inFlight);
            }
        }

        long Completed()
        {
            long total = 0;
            for (int i = 0; i < counts.Length; i += Stride) total += Volatile.Read(ref counts[i]);
            return total;
        }
    }
}
