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
            $"grain scenario: {options.Connections} callers, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Window.TotalSeconds:F0} s window per measurement, " +
            $"1 and {options.Pipeline} calls in flight per caller; {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
        await using var silo = await InProcessGateway.StartAsync(encryption: true, options.Connections, cancellationToken);
        var grains = silo.Grains;
        var cached = grains.GetGrain<IGatewayProbeGrain>(0);

        var rps = new Dictionary<string, double>();
        foreach (int inFlight in (int[])[1, options.Pipeline])
        {
            string prefix = inFlight == 1 ? "" : "pipelined_";
            // "fresh" resolves the reference on every call, as GatewaySession does; "cached" reuses one.
            rps[$"{prefix}fresh_cps"] = await MeasureAsync("fresh", inFlight, () => grains.GetGrain<IGatewayProbeGrain>(0), options, cancellationToken);
            rps[$"{prefix}cached_cps"] = await MeasureAsync("cached", inFlight, () => cached, options, cancellationToken);
        }

        string keys = string.Join(' ', rps.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Value:F0}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT grain callers={options.Connections} pipeline={options.Pipeline} seconds={options.Window.TotalSeconds:F0} {keys}"));
        return 0;
    }

    private static async Task<double> MeasureAsync(string kind, int inFlight, Func<IGatewayProbeGrain> probe, ScenarioOptions options, CancellationToken cancellationToken)
    {
        var counts = new long[options.Connections * Stride];
        var measurement = await LoadWindow.MeasureAsync("grain", kind, inFlight, options.Connections, RunAsync, Completed,
            options.Warmup, options.Window, cancellationToken);
        Console.WriteLine(measurement.Describe());
        return measurement.RoundTripsPerSecond;

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
