using System.Globalization;
using System.Runtime;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>resolve</c>: RESOLVE → ROUTE round trips per second through the full gateway (encrypted, every
/// connection a logged-in player), twice: <b>fresh</b> — each a new ticket, as on every login and warp (the
/// character's session grain records it, the gateway signs it): each player cycles through many characters of its
/// account, so a character comes round again only after its outstanding ticket is past half its lifetime (5 s here)
/// and may not be handed out again; and <b>repeat</b> — one character resolved again and again, which gets its
/// outstanding ticket back. The ROUTEs tell which is which (a new ticket has a new expiry), and the RESULT line says
/// what share of the fresh phase's tickets really were new. Each measured in slices alternating with the raw echo
/// server at one request in flight, as in <see cref="GatewayScenario"/>. The maps run on fake hosts assigned straight
/// through the silo's grains: no agent.
/// </summary>
public static class ResolveScenario
{
    private const int FirstAccount = 2_000_000, FirstChar = 150_000, FirstPort = 7000;
    private const int TicketLifetimeMs = 5000; // the least accounts.ticket_lifetime_ms allows: fewer characters keep the fresh phase fresh

    public static async Task<int> RunAsync(ResolveOptions options, CancellationToken cancellationToken)
    {
        var scenario = options.Scenario;
        string limits = SystemLimits.Check(2 * options.Connections);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resolve scenario: {options.Connections} players (one connection, account and character each) over {options.Maps} running maps; " +
            $"{options.FreshCharacters} more characters each for the fresh resolves; " +
            $"{options.Window.TotalSeconds:F0} s fresh and {options.Window.TotalSeconds:F0} s repeated, each measured in {options.Slices} slices of {(options.Window / options.Slices).TotalSeconds:F1} s alternating echo PING / encrypted gateway RESOLVE, " +
            $"1 in flight, after a warm-up ({options.Warmup.TotalSeconds:F1} s before the first, {LoadWindow.SliceWarmup(scenario).TotalSeconds:F1} s before the others); " +
            $"{Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {limits}"));

        var accounts = new InMemoryAccountStore();
        for (int i = 0; i < options.Connections; i++)
        {
            accounts.Add(new AccountRecord(FirstAccount + i, UserId(i), Password(i), 'F', State: 0));
            for (int k = 0; k <= options.FreshCharacters; k++)
                accounts.Add(new CharacterSummary((int)CharId(i, k), FirstAccount + i, k, $"Load{i}x{k}", 0, 1, MapName(i % options.Maps), 150, 150));
        }
        uint[][] repeatChars = [.. Enumerable.Range(0, options.Connections).Select(i => new[] { CharId(i, 0) })];
        uint[][] freshChars = [.. Enumerable.Range(0, options.Connections).Select(i => Enumerable.Range(1, options.FreshCharacters).Select(k => CharId(i, k)).ToArray())];

        await using var echo = await EchoServer.StartAsync(cancellationToken);
        await using var echoLoad = await LoadGenerator.OpenAsync(echo.Target, options.Connections, cancellationToken);
        await echoLoad.PrimeAsync(1, [0], options.Prime, cancellationToken);

        await using var gateway = await InProcessGateway.StartAsync(encryption: true, options.Connections, cancellationToken,
            extra:
            [
                new("accounts:ticket_lifetime_ms", TicketLifetimeMs.ToString(CultureInfo.InvariantCulture)),
                new("distribution:heartbeat_timeout_ms", "600000"), // the fake hosts send no heartbeats
            ], accounts: accounts);
        await RunMapsAsync(gateway.Grains, options.Maps);
        await using var load = await LoadGenerator.OpenAsync(gateway.Target with { Role = PeerRole.GameClient }, options.Connections, cancellationToken);
        await load.ForEachAsync((i, connection, token) => connection.LoginAsync(UserId(i), Password(i), token), cancellationToken);
        Console.WriteLine($"{options.Connections} players logged in; {options.Maps} maps running on fake hosts");
        // Every character once (activating its session grain), then both paths.
        await load.PrimeAsync((i, c, stop) => c.RunResolvesAsync([.. repeatChars[i], .. freshChars[i]], MapName(i % options.Maps), stop), options.Prime, cancellationToken);

        var freshStart = load.Tally();
        var (echoed, fresh) = await LoadWindow.AlternateAsync(
            (warmup, window) => echoLoad.MeasureAsync("ping", 1, 0, warmup, window, cancellationToken),
            (warmup, window) => load.MeasureAsync("fresh resolve", Runner(freshChars), warmup, window, cancellationToken),
            scenario);
        var freshEnd = load.Tally();
        double freshShare = (double)(freshEnd.FreshTickets - freshStart.FreshTickets) / Math.Max(1, freshEnd.Completed - freshStart.Completed);
        var (repeatEchoed, repeat) = await LoadWindow.AlternateAsync(
            (warmup, window) => echoLoad.MeasureAsync("ping", 1, 0, warmup, window, cancellationToken),
            (warmup, window) => load.MeasureAsync("repeat resolve", Runner(repeatChars), warmup, window, cancellationToken),
            scenario);
        var repeatEnd = load.Tally();
        double repeatFreshShare = (double)(repeatEnd.FreshTickets - freshEnd.FreshTickets) / Math.Max(1, repeatEnd.Completed - freshEnd.Completed);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT resolve per_s={fresh.RoundTripsPerSecond:F0} echo_rps={echoed.RoundTripsPerSecond:F0} ratio={fresh.RoundTripsPerSecond / echoed.RoundTripsPerSecond:F2} " +
            $"repeat_per_s={repeat.RoundTripsPerSecond:F0} repeat_echo_rps={repeatEchoed.RoundTripsPerSecond:F0} repeat_ratio={repeat.RoundTripsPerSecond / repeatEchoed.RoundTripsPerSecond:F2} " +
            $"fresh_share={freshShare:F3} repeat_fresh_share={repeatFreshShare:F3} " +
            $"connections={options.Connections} maps={options.Maps} seconds={options.Window.TotalSeconds:F0} " +
            $"cpu_us_per_resolve={fresh.CpuMicrosecondsPerRoundTrip:F1} cpu_us_per_repeat={repeat.CpuMicrosecondsPerRoundTrip:F1} " +
            $"cpu_us_per_echo={echoed.CpuMicrosecondsPerRoundTrip:F1}"));
        if (freshShare < 0.95)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loadtool: only {freshShare:P1} of the fresh phase's tickets were new: characters came round before their tickets were half spent; raise --fresh-characters"));
        return 0;

        Func<int, LoadConnection, CancellationToken, Task> Runner(uint[][] chars) =>
            (i, connection, stop) => connection.RunResolvesAsync(chars[i], MapName(i % options.Maps), stop);
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

    /// <summary>Player <paramref name="i"/>'s character <paramref name="k"/> (slot k); k = 0 is the one resolved again and again.</summary>
    private static uint CharId(int i, int k) => (uint)(FirstChar + i * 256 + k);

    private static string MapName(int m) => string.Create(CultureInfo.InvariantCulture, $"load{m:D4}");
    private static string UserId(int i) => string.Create(CultureInfo.InvariantCulture, $"load{i}");
    private static string Password(int i) => string.Create(CultureInfo.InvariantCulture, $"pw{i}");
}
