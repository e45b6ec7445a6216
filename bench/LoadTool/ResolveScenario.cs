using System.Globalization;
using System.Runtime;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>resolve</c>: RESOLVE → ROUTE round trips per second through the full gateway (encrypted, every
/// connection a logged-in player), each one a fresh ticket: the character's session grain records it, the gateway
/// signs it. Measured in slices alternating with the raw echo server at one request in flight, as in
/// <see cref="GatewayScenario"/>. The maps run on fake hosts assigned straight through the silo's grains: no agent.
/// </summary>
public static class ResolveScenario
{
    private const int FirstAccount = 2_000_000, FirstChar = 150_000, FirstPort = 7000;

    public static async Task<int> RunAsync(ResolveOptions options, CancellationToken cancellationToken)
    {
        var scenario = options.Scenario;
        string limits = SystemLimits.Check(2 * options.Connections);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resolve scenario: {options.Connections} players (one connection, account and character each) over {options.Maps} running maps; " +
            $"{options.Window.TotalSeconds:F0} s measured in {options.Slices} slices of {(options.Window / options.Slices).TotalSeconds:F1} s alternating echo PING / encrypted gateway RESOLVE, " +
            $"1 in flight, after a warm-up ({options.Warmup.TotalSeconds:F1} s before the first, {LoadWindow.SliceWarmup(scenario).TotalSeconds:F1} s before the others); " +
            $"{Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {limits}"));

        var accounts = new InMemoryAccountStore();
        for (int i = 0; i < options.Connections; i++)
        {
            accounts.Add(new AccountRecord(FirstAccount + i, UserId(i), Password(i), 'F', State: 0));
            accounts.Add(new CharacterSummary(FirstChar + i, FirstAccount + i, 0, $"Load{i}", 0, 1, MapName(i % options.Maps), 150, 150));
        }

        await using var echo = await EchoServer.StartAsync(cancellationToken);
        await using var echoLoad = await LoadGenerator.OpenAsync(echo.Target, options.Connections, cancellationToken);
        await echoLoad.PrimeAsync(1, [0], options.Prime, cancellationToken);

        await using var gateway = await InProcessGateway.StartAsync(encryption: true, options.Connections, cancellationToken,
            extra: [new("distribution:heartbeat_timeout_ms", "600000")], accounts: accounts); // the fake hosts send no heartbeats
        await RunMapsAsync(gateway.Grains, options.Maps);
        await using var load = await LoadGenerator.OpenAsync(gateway.Target with { Role = PeerRole.GameClient }, options.Connections, cancellationToken);
        await load.ForEachAsync((i, connection, token) => connection.LoginAsync(UserId(i), Password(i), token), cancellationToken);
        Console.WriteLine($"{options.Connections} players logged in; {options.Maps} maps running on fake hosts");
        await load.PrimeAsync(Resolve, options.Prime, cancellationToken);

        var (echoed, resolved) = await LoadWindow.AlternateAsync(
            (warmup, window) => echoLoad.MeasureAsync("ping", 1, 0, warmup, window, cancellationToken),
            (warmup, window) => load.MeasureAsync("resolve", Resolve, warmup, window, cancellationToken),
            scenario);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT resolve per_s={resolved.RoundTripsPerSecond:F0} echo_rps={echoed.RoundTripsPerSecond:F0} ratio={resolved.RoundTripsPerSecond / echoed.RoundTripsPerSecond:F2} " +
            $"connections={options.Connections} maps={options.Maps} seconds={options.Window.TotalSeconds:F0} " +
            $"cpu_us_per_resolve={resolved.CpuMicrosecondsPerRoundTrip:F1} cpu_us_per_echo={echoed.CpuMicrosecondsPerRoundTrip:F1}"));
        return 0;

        Task Resolve(int i, LoadConnection connection, CancellationToken stop) =>
            connection.RunResolvesAsync((uint)(FirstChar + i), MapName(i % options.Maps), stop);
    }

    /// <summary>Each map moved to its own fake VPS host (<see cref="TestPlacement"/>) and reported Running, as an agent's MAP_STATE would.</summary>
    private static async Task RunMapsAsync(IGrainFactory grains, int maps)
    {
        for (int m = 0; m < maps; m++)
        {
            string host = $"hload{m:D16}";
            var map = grains.GetGrain<IMapGrain>(MapName(m));
            var assignment = await grains.PlaceOnAsync(MapName(m), host, HostKind.Vps, $"127.0.0.1:{FirstPort}");
            if (!await map.InstanceStateAsync(host, assignment.Epoch, MapInstanceState.Running, FirstPort + m, 1))
                throw new LoadToolException($"map {MapName(m)} did not take its Running state");
        }
    }

    private static string MapName(int m) => string.Create(CultureInfo.InvariantCulture, $"load{m:D4}");
    private static string UserId(int i) => string.Create(CultureInfo.InvariantCulture, $"load{i}");
    private static string Password(int i) => string.Create(CultureInfo.InvariantCulture, $"pw{i}");
}
