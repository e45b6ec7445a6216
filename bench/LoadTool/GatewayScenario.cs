using System.Globalization;
using System.Runtime;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>gateway</c>: request/response round trips per second through the full gateway (handshake done,
/// encryption off and on, one grain call per PING) beside the raw Pipelines echo server, all driven by the same
/// generator in this process. Servers run one at a time, in the order echo → plain → encrypted.
/// </summary>
public static class GatewayScenario
{
    public static async Task<int> RunAsync(ScenarioOptions options, CancellationToken cancellationToken)
    {
        string limits = SystemLimits.Check(options.Connections);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway scenario: {options.Connections} connections per server, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Window.TotalSeconds:F0} s window per measurement, " +
            $"1 and {options.Pipeline} in flight (send a batch, await as many PONGs); {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {limits}"));

        var rps = new Dictionary<string, double>();

        await using (var echo = await EchoServer.StartAsync(cancellationToken))
        {
            await using var load = await LoadGenerator.OpenAsync(echo.Target, options.Connections, cancellationToken);
            rps["echo_rps"] = await MeasureAsync(load, "ping", 1, 0, options, cancellationToken);
            rps["pipelined_echo_rps"] = await MeasureAsync(load, "ping", options.Pipeline, 0, options, cancellationToken);
        }

        foreach (bool encrypted in (bool[])[false, true])
        {
            string name = encrypted ? "encrypted" : "plain";
            await using var gateway = await InProcessGateway.StartAsync(encrypted, options.Connections, cancellationToken);
            await using var load = await LoadGenerator.OpenAsync(gateway.Target, options.Connections, cancellationToken);
            rps[$"{name}_rps"] = await MeasureAsync(load, "cluster", 1, PingPacket.ThroughCluster, options, cancellationToken);
            rps[$"pipelined_{name}_rps"] = await MeasureAsync(load, "cluster", options.Pipeline, PingPacket.ThroughCluster, options, cancellationToken);
            if (options.Local)
            {
                rps[$"local_{name}_rps"] = await MeasureAsync(load, "local", 1, 0, options, cancellationToken);
                rps[$"pipelined_local_{name}_rps"] = await MeasureAsync(load, "local", options.Pipeline, 0, options, cancellationToken);
            }
        }

        Console.WriteLine(ResultLine(rps, options));
        return 0;
    }

    private static async Task<double> MeasureAsync(LoadGenerator load, string kind, int inFlight, byte flags, ScenarioOptions options, CancellationToken cancellationToken)
    {
        var measurement = await load.MeasureAsync(kind, inFlight, flags, options.Warmup, options.Window, cancellationToken);
        Console.WriteLine(measurement.Describe());
        return measurement.RoundTripsPerSecond;
    }

    private static string ResultLine(Dictionary<string, double> rps, ScenarioOptions options)
    {
        var keys = new List<string>
        {
            $"connections={options.Connections}",
            $"pipeline={options.Pipeline}",
            $"seconds={options.Window.TotalSeconds:F0}",
        };
        void Rps(string key) { if (rps.TryGetValue(key, out double value)) keys.Add($"{key}={value:F0}"); }
        void Ratio(string key, string numerator, string denominator) => keys.Add($"{key}={rps[numerator] / rps[denominator]:F2}");

        Rps("echo_rps");
        Rps("plain_rps");
        Rps("encrypted_rps");
        Ratio("ratio", "encrypted_rps", "echo_rps");
        Rps("pipelined_echo_rps");
        Rps("pipelined_plain_rps");
        Rps("pipelined_encrypted_rps");
        Ratio("pipelined_ratio", "pipelined_encrypted_rps", "pipelined_echo_rps");
        Rps("local_plain_rps");
        Rps("local_encrypted_rps");
        Rps("pipelined_local_plain_rps");
        Rps("pipelined_local_encrypted_rps");
        return string.Create(CultureInfo.InvariantCulture, $"RESULT gateway {string.Join(' ', keys)}");
    }
}
