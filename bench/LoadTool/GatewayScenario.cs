using System.Globalization;
using System.Runtime;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>gateway</c>: request/response round trips per second through the full gateway (handshake done,
/// encryption off, then on; one grain call per PING) beside the raw Pipelines echo server, all driven by the same
/// generator in this process. The echo server stays up throughout; each gateway window is cut into slices that
/// alternate with echo slices, so both sides of every ratio see the same share of this shared, noisy machine.
/// One silo at a time.
/// </summary>
public static class GatewayScenario
{
    public static async Task<int> RunAsync(ScenarioOptions options, CancellationToken cancellationToken)
    {
        string limits = SystemLimits.Check(3 * options.Connections); // the echo connections stay open beside each gateway's (and the encrypted echo's)
        var slice = options.Window / options.Slices;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway scenario: {options.Connections} connections per server; per server and depth {options.Window.TotalSeconds:F0} s measured in {options.Slices} slices of {slice.TotalSeconds:F1} s " +
            $"alternating echo/gateway (ThroughCluster 1, n{(options.Local ? ", then local 1, n" : "")}; plain gateway, then encrypted), each after a warm-up ({options.Warmup.TotalSeconds:F1} s before the first, {LoadWindow.SliceWarmup(options).TotalSeconds:F1} s before the others); " +
            $"1 and {options.Pipeline} in flight (send a batch, await as many PONGs); {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {limits}"));

        var rps = new Dictionary<string, double>();
        await using var echo = await EchoServer.StartAsync(cancellationToken);
        await using var echoLoad = await LoadGenerator.OpenAsync(echo.Target, options.Connections, cancellationToken);
        await echoLoad.PrimeAsync(options.Pipeline, [0], options.Prime, cancellationToken);
        // The encrypted echo (same handshake, AEAD and frame pipeline as the gateway, no cluster) is measured
        // alongside the encrypted gateway's cluster PINGs only, so crypto cost and cluster cost are told apart.
        await using var secureEcho = await EchoServer.StartAsync(cancellationToken, encrypted: true);

        foreach (bool encrypted in (bool[])[false, true])
        {
            string name = encrypted ? "encrypted" : "plain";
            await using var gateway = await InProcessGateway.StartAsync(encrypted, options.Connections, cancellationToken);
            await using var load = await LoadGenerator.OpenAsync(gateway.Target, options.Connections, cancellationToken);
            await load.PrimeAsync(options.Pipeline, options.Local ? [PingPacket.ThroughCluster, 0] : [PingPacket.ThroughCluster], options.Prime, cancellationToken);

            foreach (bool throughCluster in options.Local ? (bool[])[true, false] : [true])
            {
                foreach (int inFlight in (int[])[1, options.Pipeline])
                {
                    string prefix = (inFlight == 1 ? "" : "pipelined_") + (throughCluster ? "" : "local_");
                    byte flags = throughCluster ? PingPacket.ThroughCluster : (byte)0;
                    var (echoed, answered) = await LoadWindow.AlternateAsync(
                        (warmup, window) => echoLoad.MeasureAsync("ping", inFlight, 0, warmup, window, cancellationToken),
                        (warmup, window) => load.MeasureAsync(throughCluster ? "cluster" : "local", inFlight, flags, warmup, window, cancellationToken),
                        options);
                    rps[$"{name}:{prefix}echo_rps"] = echoed.RoundTripsPerSecond;
                    rps[$"{prefix}{name}_rps"] = answered.RoundTripsPerSecond;
                    rps[$"{prefix}{name}_ratio"] = answered.RoundTripsPerSecond / echoed.RoundTripsPerSecond;
                    if (!encrypted || !throughCluster) continue;
                    await using var secureLoad = await LoadGenerator.OpenAsync(secureEcho.Target, options.Connections, cancellationToken);
                    await secureLoad.PrimeAsync(inFlight, [0], options.Prime, cancellationToken);
                    var (secured, clustered) = await LoadWindow.AlternateAsync(
                        (warmup, window) => secureLoad.MeasureAsync("encrypted echo", inFlight, 0, warmup, window, cancellationToken),
                        (warmup, window) => load.MeasureAsync("cluster", inFlight, flags, warmup, window, cancellationToken),
                        options);
                    string enc = inFlight == 1 ? "" : "pipelined_";
                    rps[$"{enc}enc_echo_rps"] = secured.RoundTripsPerSecond;
                    rps[$"{enc}enc_ratio"] = clustered.RoundTripsPerSecond / secured.RoundTripsPerSecond;
                }
            }
        }

        Console.WriteLine(ResultLine(rps, options));
        return 0;
    }

    /// <summary>
    /// echo_rps is the echo server over the slices interleaved with both gateways' ThroughCluster slices; ratio and
    /// pipelined_ratio divide the encrypted gateway by the echo slices interleaved with it, plain_ratio and
    /// pipelined_plain_ratio the plain one, and each local_*_ratio its local (no grain) PINGs likewise. enc_ratio and
    /// pipelined_enc_ratio divide the encrypted gateway's cluster PINGs by the encrypted echo interleaved with them.
    /// </summary>
    private static string ResultLine(Dictionary<string, double> rps, ScenarioOptions options)
    {
        var keys = new List<string> { $"connections={options.Connections}", $"pipeline={options.Pipeline}", $"seconds={options.Window.TotalSeconds:F0}" };
        void Add(string key, double value, string format) => keys.Add($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");
        void Rps(string key) { if (rps.TryGetValue(key, out double value)) Add(key, value, "F0"); }
        void Ratio(string key, string source) { if (rps.TryGetValue(source, out double value)) Add(key, value, "F2"); }

        Add("echo_rps", (rps["plain:echo_rps"] + rps["encrypted:echo_rps"]) / 2, "F0");
        Rps("plain_rps");
        Rps("encrypted_rps");
        Ratio("ratio", "encrypted_ratio");
        Add("pipelined_echo_rps", (rps["plain:pipelined_echo_rps"] + rps["encrypted:pipelined_echo_rps"]) / 2, "F0");
        Rps("pipelined_plain_rps");
        Rps("pipelined_encrypted_rps");
        Ratio("pipelined_ratio", "pipelined_encrypted_ratio");
        Ratio("plain_ratio", "plain_ratio");
        Ratio("pipelined_plain_ratio", "pipelined_plain_ratio");
        Rps("enc_echo_rps");
        Ratio("enc_ratio", "enc_ratio");
        Rps("pipelined_enc_echo_rps");
        Ratio("pipelined_enc_ratio", "pipelined_enc_ratio");
        foreach (string local in (string[])["local_plain", "local_encrypted", "pipelined_local_plain", "pipelined_local_encrypted"])
        {
            Rps($"{local}_rps");
            Ratio($"{local}_ratio", $"{local}_ratio");
        }
        return $"RESULT gateway {string.Join(' ', keys)}";
    }
}
