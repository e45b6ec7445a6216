using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>failover</c>: an in-process silo (the embedded default, as p2p-silo composes it) with many maps
/// configured and many simulated hosts over the real protocol. Once every map runs, rounds of hosts are killed
/// (connection reset) and then frozen (socket open, silent); for each victim it measures the time from the failure
/// until every map it held has been assigned to another host, as the ASSIGN_MAP arrives there (the new epoch is
/// stored before the host hears of it), and as a poll of the map grains sees it.
/// </summary>
public static class FailoverScenario
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan GrainPollInterval = TimeSpan.FromMilliseconds(20);
    private const int ConnectParallelism = 32;

    public static async Task<int> RunAsync(FailoverOptions o, CancellationToken cancellationToken)
    {
        if ((long)o.MaxMaps * (o.Hosts - o.PerRound) < o.Maps)
            throw new LoadToolException($"--max-maps {o.MaxMaps} leaves no room: {o.Hosts - o.PerRound} surviving hosts cannot hold {o.Maps} maps");
        string limits = SystemLimits.Check(o.Hosts, option: "--hosts");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"failover scenario: {o.Hosts} simulated hosts (max_maps {o.MaxMaps}, heartbeat every {o.HeartbeatInterval.TotalMilliseconds:F0} ms), {o.Maps} maps; " +
            $"{o.Rounds} rounds of {o.PerRound} killed hosts, then {o.Rounds} rounds of {o.PerRound} frozen hosts; heartbeat_timeout_ms {o.HeartbeatTimeoutMs}, " +
            $"reconnect_grace_ms {o.ReconnectGraceMs}; {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {limits}"));

        var names = Enumerable.Range(0, o.Maps).Select(i => $"f{i:D5}").ToList();
        var settings = new Dictionary<string, string?>
        {
            ["distribution:heartbeat_timeout_ms"] = o.HeartbeatTimeoutMs.ToString(CultureInfo.InvariantCulture),
            ["distribution:reconnect_grace_ms"] = o.ReconnectGraceMs.ToString(CultureInfo.InvariantCulture),
        };
        foreach (string name in names) settings[$"maps:{name}:max_players"] = "100";
        await using var silo = await InProcessGateway.StartAsync(encryption: true, o.Hosts + 10, cancellationToken, settings);

        var assignments = new AssignmentLog();
        var hostOptions = new SimulatedHostOptions(silo.Target.Endpoint, silo.Target.CoordinatorKey!)
        {
            MaxMaps = (ushort)o.MaxMaps,
            HeartbeatInterval = o.HeartbeatInterval,
            OnAssign = assignments.Record,
        };
        var hosts = Enumerable.Range(0, o.Hosts).Select(i => new SimulatedHost(hostOptions, (ushort)(20000 + i))).ToArray();
        var watch = new MapWatch(silo.Grains, names);
        try
        {
            var connecting = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (host, token) => await host.ConnectAsync(token));
            Console.WriteLine($"{o.Hosts} hosts connected in {Stopwatch.GetElapsedTime(connecting).TotalSeconds:F1} s");
            var settled = await watch.WaitSettledAsync(hosts, SettleTimeout, cancellationToken);
            Console.WriteLine($"all {o.Maps} maps assigned and reported running {settled.TotalSeconds:F1} s later");

            var killed = await RunRoundsAsync("kill", host => host.Kill(), hosts, assignments, watch, o, cancellationToken);
            var frozen = await RunRoundsAsync("freeze", host => host.Freeze(), hosts, assignments, watch, o, cancellationToken);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT failover p99_ms={killed.P99:F0} max_ms={killed.Max:F0} killed={killed.Count} grain_p99_ms={killed.GrainP99:F0} " +
                $"silent_p99_ms={frozen.P99:F0} silent_max_ms={frozen.Max:F0} frozen={frozen.Count} silent_grain_p99_ms={frozen.GrainP99:F0} " +
                $"heartbeat_timeout_ms={o.HeartbeatTimeoutMs} reconnect_grace_ms={o.ReconnectGraceMs} heartbeat_interval_ms={o.HeartbeatInterval.TotalMilliseconds:F0} " +
                $"hosts={o.Hosts} maps={o.Maps} moved_maps={killed.Maps + frozen.Maps}"));
            return 0;
        }
        finally
        {
            await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
        }
    }

    private sealed record Outcome(int Count, int Maps, double P99, double Max, double GrainP99);

    /// <summary>Rounds of one failure kind; each victim's time is from its failure to the last of its maps reaching a new host.</summary>
    private static async Task<Outcome> RunRoundsAsync(string kind, Action<SimulatedHost> fail, SimulatedHost[] hosts, AssignmentLog assignments,
        MapWatch watch, FailoverOptions o, CancellationToken cancellationToken)
    {
        var perHost = new List<double>();
        var perHostGrain = new List<double>();
        int moved = 0;
        var deadline = TimeSpan.FromMilliseconds(o.HeartbeatTimeoutMs + o.ReconnectGraceMs) + TimeSpan.FromSeconds(30);
        var phaseStart = LoadSample.Take(0);
        for (int round = 1; round <= o.Rounds; round++)
        {
            var victims = hosts.Where(h => !h.IsHalted).Select(h => (Host: h, Maps: h.Maps())).Where(v => v.Maps.Count > 0)
                .OrderBy(_ => Random.Shared.Next()).Take(o.PerRound).ToList();
            if (victims.Count == 0) throw new LoadToolException($"{kind} round {round}: no live host holds a map");
            var moving = victims.SelectMany(v => v.Maps.Select(m => (m.Key, (m.Value, v.Host.HostId)))).ToDictionary(m => m.Key, m => m.Item2, StringComparer.Ordinal);
            using var stopPolling = new CancellationTokenSource(deadline);
            var polled = watch.WatchMovesAsync(moving, GrainPollInterval, stopPolling.Token);

            var failedAt = new long[victims.Count];
            for (int i = 0; i < victims.Count; i++)
            {
                failedAt[i] = Stopwatch.GetTimestamp();
                fail(victims[i].Host);
            }

            var arrived = await WaitForMovesAsync(victims, assignments, deadline, kind, round, cancellationToken);
            var grainSeen = await polled;
            var times = new List<double>();
            var grainTimes = new List<double>();
            for (int i = 0; i < victims.Count; i++)
            {
                times.Add(victims[i].Maps.Keys.Max(m => Stopwatch.GetElapsedTime(failedAt[i], arrived[m]).TotalMilliseconds));
                var seen = victims[i].Maps.Keys.Select(m => grainSeen[m]).ToList();
                if (seen.All(t => t is not null)) grainTimes.Add(seen.Max(t => Stopwatch.GetElapsedTime(failedAt[i], t!.Value).TotalMilliseconds));
            }
            perHost.AddRange(times);
            perHostGrain.AddRange(grainTimes);
            moved += moving.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind} round {round}: {victims.Count} hosts, {moving.Count} maps; last map reached its new host after {times.Min():F0}–{times.Max():F0} ms per host" +
                $" (map grains polled every {GrainPollInterval.TotalMilliseconds:F0} ms: {(grainTimes.Count > 0 ? $"{grainTimes.Min():F0}–{grainTimes.Max():F0} ms" : "n/a")})"));

            await watch.WaitSettledAsync(hosts, SettleTimeout, cancellationToken);
            foreach (var (host, _) in victims) await host.ReviveAsync(cancellationToken);
        }

        var load = Measurement.Between(kind, "rounds", 0, phaseStart, LoadSample.Take(0));
        perHost.Sort();
        perHostGrain.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kind}: {perHost.Count} hosts, {moved} maps moved; per host p50 {Percentile.Of(perHost, 50):F0} ms, p99 {Percentile.Of(perHost, 99):F0} ms, max {perHost[^1]:F0} ms; " +
            $"grain poll p99 {Percentile.Of(perHostGrain, 99):F0} ms | this process cpu user {load.ProcessUserPercent:F0}% sys {load.ProcessSystemPercent:F0}%, " +
            $"other processes {Math.Max(0, load.MachineBusyPercent - load.ProcessUserPercent - load.ProcessSystemPercent):F0}% (of one core; {Environment.ProcessorCount} cores)"));
        return new Outcome(perHost.Count, moved, Percentile.Of(perHost, 99), perHost[^1], Percentile.Of(perHostGrain, 99));
    }

    /// <summary>Waits until every victim's maps have reached another host; returns each map's first arrival there.</summary>
    private static async Task<Dictionary<string, long>> WaitForMovesAsync(List<(SimulatedHost Host, Dictionary<string, ulong> Maps)> victims,
        AssignmentLog assignments, TimeSpan deadline, string kind, int round, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var arrived = new Dictionary<string, long>(StringComparer.Ordinal);
            int missing = 0;
            foreach (var (host, maps) in victims)
            {
                foreach (var (map, epoch) in maps)
                {
                    if (assignments.FirstMove(map, epoch, host.HostId) is { } at) arrived[map] = at;
                    else missing++;
                }
            }
            if (missing == 0) return arrived;
            if (Stopwatch.GetElapsedTime(started) > deadline)
                throw new LoadToolException($"{kind} round {round}: {missing} maps of the failed hosts reached no other host within {deadline.TotalSeconds:F0} s");
            await Task.Delay(10, cancellationToken);
        }
    }
}
