using System.Globalization;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Chaos;

/// <summary>
/// One fault against the chaos cluster: players play until each has entered a map, the fault is injected (and, for a
/// timed fault, healed), then every player must enter a map again within <paramref name="bound"/> of the fault's end
/// and every map run again; the players leave and <see cref="StateInvariants"/> are checked. Prints one line per
/// fault (recovery time, longest gap in play, what was wrong) for docs/reliability.md, also appended to
/// <c>P2PTEST_CHAOS_RESULTS</c> when set.
/// </summary>
public sealed class FaultRun(ChaosCluster cluster, ITestOutputHelper output, string fault, TimeSpan bound)
{
    /// <summary>The host agent the fault hits, if any: the only one allowed to lose its maps.</summary>
    public ChaosAgent? Victim { get; init; }

    /// <summary>
    /// For faults the cluster should ride out while they last (a frozen silo is evicted, then the other one serves):
    /// the longest any player may go without entering a map.
    /// </summary>
    public TimeSpan? MaxGap { get; init; }

    public async Task RunAsync(Func<Task> inject)
    {
        await cluster.RestoreAsync();
        var fleet = cluster.NewFleet();
        var started = DateTime.UtcNow;
        fleet.Start();
        var problems = new List<string>();
        string margin = ""; // the narrowest hand-over between two hosts serving one map, when a map moved
        TimeSpan? recovery = null;
        DateTime injected = default, healed = default, end;
        try
        {
            if (await fleet.AllEnteredSinceAsync(started, TimeSpan.FromSeconds(60)) is null)
                throw new InvalidOperationException($"before the fault, not every player could play:\n{fleet.Waiting(started)}\n{cluster.Logs()}");
            // The check that no acknowledged save is lost means nothing with an empty ledger: when the fault runs
            // first on a fresh cluster, players have entered but their first writes may not be acknowledged yet.
            // Waited for, not required: when none is acknowledged within 30 s the fault runs all the same.
            await Eventually.UntilAsync(() => StateInvariants.AnyAcknowledged(cluster), any => any, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            var epochs = (await cluster.MapsAsync()).ToDictionary(m => m.Key, m => m.Value.Epoch);
            injected = DateTime.UtcNow;
            await inject();
            healed = DateTime.UtcNow;
            var allBack = await fleet.AllEnteredSinceAsync(healed, bound);
            if (allBack is { } back) recovery = back - healed;
            else problems.Add($"not every player played again within {bound.TotalSeconds:F0} s of the fault's end:\n{fleet.Waiting(healed)}");
            var (maps, running) = await cluster.WaitForMapsAsync(ChaosCluster.AllRunning, bound);
            if (!running) problems.Add($"not every map ran again within {bound.TotalSeconds:F0} s: {string.Join("; ", maps.Values.Select(m => $"{m.Name} {m.InstanceState} on {m.Assignment?.HostId}"))}");
            end = DateTime.UtcNow;
            problems.AddRange(StateInvariants.HealthyHostsKeptTheirMaps(cluster, Victim, injected, end));
            await fleet.StopAsync(TimeSpan.FromSeconds(30));
            try
            {
                await cluster.RestoreAsync();
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"the cluster did not heal, even with the killed processes started again: {e.Message.Split('\n')[0]}");
            }
            problems.AddRange(await StateInvariants.SessionsAndOnlineFlagsAsync(cluster));
            problems.AddRange(await StateInvariants.MapsAndHostsAsync(cluster, epochs));
            problems.AddRange(await StateInvariants.AcknowledgedSavesAsync(cluster, fleet.Players));
            var windows = ServingWindows.Read(cluster.Agents, DateTime.UtcNow);
            problems.AddRange(windows.EpochProblems);
            foreach (var (map, a, b, from, length) in windows.Overlaps(started))
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"map {map} served by {a} and {b} at once for {length.TotalMilliseconds:F0} ms from {from:HH:mm:ss.fff}"));
            if (windows.ClosestHandOver(started) is { } handOver)
                margin = string.Create(CultureInfo.InvariantCulture,
                    $"closest hand-over {handOver.Gap.TotalMilliseconds:F0} ms ({handOver.Map}: {handOver.From} → {handOver.To}); ");
        }
        finally
        {
            await fleet.StopAsync(TimeSpan.FromSeconds(5));
        }

        var gap = fleet.Players.Max(p => p.LongestGap(injected, end));
        if (MaxGap is { } maxGap && gap > maxGap)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"a player could not play for {gap.TotalSeconds:F1} s (bound {maxGap.TotalSeconds:F0} s, while the fault lasted)"));
        var c = CultureInfo.InvariantCulture;
        string again = recovery is { } r ? r.TotalSeconds.ToString("F1", c) + " s" : "NOT";
        string verdict = problems.Count == 0 ? "all invariants hold" : $"{problems.Count} problems:\n  " + string.Join("\n  ", problems);
        string line = string.Create(c,
            $"CHAOS [{ChaosDurations.Form}] {fault}: lasted {(healed - injected).TotalSeconds:F1} s; every player played again {again} after its end " +
            $"(bound {bound.TotalSeconds:F0} s); longest gap in play {gap.TotalSeconds:F1} s; {fleet.Players.Sum(p => p.Warps)} warps, " +
            $"{fleet.Players.Sum(p => p.Failures)} failed attempts; {margin}") + verdict;
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("P2PTEST_CHAOS_RESULTS") is { Length: > 0 } file) await File.AppendAllTextAsync(file, line + "\n");
        Assert.True(problems.Count == 0, line + "\n" + cluster.Logs());
    }
}
