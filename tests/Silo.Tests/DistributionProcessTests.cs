using System.Diagnostics;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>Map distribution with real processes and sockets: a silo, P2P and VPS host agents, kill -9 and SIGSTOP.</summary>
public sealed class DistributionProcessTests(ITestOutputHelper output)
{
    private static readonly string[] Normal = ["geffen", "payon", "morocc", "izlude"];
    private const string Critical = "prontera";
    private static readonly string[] All = [Critical, .. Normal];

    private const string Maps = """
          prontera:
            critical: true
          geffen:
          payon:
          morocc:
            max_players: 120
          izlude:
        """;

    private static Task<Dictionary<string, MapInfo>> WaitForAsync(DistributionCluster cluster, Func<Dictionary<string, MapInfo>, bool> done, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => cluster.MapsAsync(All), done, "the maps as expected", timeout,
            describe: maps => $"\n{string.Join("\n", maps.Values)}\n{cluster.Logs()}");

    private static bool AllRunning(Dictionary<string, MapInfo> maps) =>
        maps.Values.All(m => m.Assignment is not null && m.InstanceState == MapInstanceState.Running && m.InstancePort > 0);

    [Fact]
    public async Task MapsSpreadByScoreCriticalOnVpsAndAKilledHostsMapsMove()
    {
        await using var cluster = await DistributionCluster.StartAsync(Maps);
        // Each P2P host has room for 3 maps: the 4 normal maps must use both; the critical map waits for the VPS.
        var p2pA = await cluster.StartAgentAsync("p2p", maxMaps: 3);
        var p2pB = await cluster.StartAgentAsync("p2p", maxMaps: 3);
        await WaitForAsync(cluster, m => Normal.All(n => m[n].InstanceState == MapInstanceState.Running), TimeSpan.FromSeconds(30));
        Assert.Equal(MapStatus.Unassigned, (await cluster.MapsAsync([Critical]))[Critical].Status);
        var vps = await cluster.StartAgentAsync("vps");
        string vpsId = DistributionCluster.HostIdOf(vps), aId = DistributionCluster.HostIdOf(p2pA), bId = DistributionCluster.HostIdOf(p2pB);

        var maps = await WaitForAsync(cluster, AllRunning, TimeSpan.FromSeconds(30));
        Assert.Equal(vpsId, maps[Critical].Assignment!.HostId);
        var owners = Normal.Select(n => maps[n].Assignment!.HostId).ToList();
        Assert.DoesNotContain(vpsId, owners); // P2P first: the VPS is the fallback
        Assert.Contains(aId, owners);
        Assert.Contains(bId, owners);
        Assert.All(maps.Values, m => Assert.True(m.Decision is { Score.Total: > 0 }, $"{m.Name} has no placement decision"));

        // kill -9 the P2P host holding the most maps: they move (new epochs) and run elsewhere.
        var byHost = Normal.GroupBy(n => maps[n].Assignment!.HostId).OrderByDescending(g => g.Count()).First();
        var victim = byHost.Key == aId ? p2pA : byHost.Key == bId ? p2pB : vps;
        var moved = byHost.ToList();
        var oldEpochs = moved.ToDictionary(n => n, n => maps[n].Epoch);
        output.WriteLine($"killing {byHost.Key} holding {string.Join(", ", moved)}");
        var watch = Stopwatch.StartNew();
        victim.Kill();
        var after = await WaitForAsync(cluster, m => moved.All(n => m[n].Assignment?.HostId != byHost.Key && m[n].Epoch > oldEpochs[n]
            && m[n].InstanceState == MapInstanceState.Running), TimeSpan.FromSeconds(15));
        var reassigned = watch.Elapsed;
        output.WriteLine($"kill -9 → all {moved.Count} maps running on other hosts after {reassigned.TotalMilliseconds:F0} ms");
        Assert.True(reassigned < TimeSpan.FromSeconds(5), $"took {reassigned}");
        if (byHost.Key != vpsId) Assert.Equal(vpsId, after[Critical].Assignment!.HostId);
    }

    [Fact]
    public async Task FrozenHostIsDeclaredDeadThenFencedAndStopsItsMapsWhenItWakes()
    {
        await using var cluster = await DistributionCluster.StartAsync(Maps);
        var frozen = await cluster.StartAgentAsync("vps"); // takes everything at first, critical map included
        var maps = await WaitForAsync(cluster, AllRunning, TimeSpan.FromSeconds(30));
        string frozenId = DistributionCluster.HostIdOf(frozen);
        var standby = await cluster.StartAgentAsync("vps");
        var epochs = maps.ToDictionary(m => m.Key, m => m.Value.Epoch);

        frozen.Signal(19); // SIGSTOP: the socket stays open, nothing is sent
        var watch = Stopwatch.StartNew();
        var moved = await WaitForAsync(cluster, m => m.Values.All(i => i.Assignment is { } a && a.HostId != frozenId && i.InstanceState == MapInstanceState.Running),
            TimeSpan.FromSeconds(20));
        output.WriteLine($"SIGSTOP → all maps running elsewhere after {watch.ElapsedMilliseconds} ms (heartbeat timeout {DistributionCluster.HeartbeatTimeoutMs} ms)");

        // Its old epochs are refused by the cluster...
        foreach (var (name, epoch) in epochs)
        {
            var e = await Assert.ThrowsAsync<ClusterException>(() => cluster.Grains.GetGrain<IMapGrain>(name).CheckEpochAsync(frozenId, epoch));
            Assert.Equal(ClusterError.StaleEpoch, e.Code);
        }
        // ...and when it wakes up it reconnects, is told, and stops every one of those maps.
        frozen.Signal(18); // SIGCONT
        foreach (string name in All)
            await frozen.WaitForLineAsync($"Map {name} stopped (epoch {epochs[name]}", TimeSpan.FromSeconds(20));
        Assert.All(moved.Values, m => Assert.NotEqual(frozenId, m.Assignment!.HostId));
    }

    [Fact]
    public async Task OverloadedHostShedsOneMapWithoutFlapping()
    {
        string metrics = Path.Combine(Directory.CreateTempSubdirectory("p2p-metrics-").FullName, "metrics");
        File.WriteAllText(metrics, "cpu=10\nmemory=10\nnetwork=1\n");
        await using var cluster = await DistributionCluster.StartAsync(Maps);
        var hot = await cluster.StartAgentAsync("vps", metrics);
        var maps = await WaitForAsync(cluster, AllRunning, TimeSpan.FromSeconds(30));
        string hotId = DistributionCluster.HostIdOf(hot);
        var cool = await cluster.StartAgentAsync("vps");

        File.WriteAllText(metrics, "cpu=95\nmemory=10\nnetwork=1\n");
        await hot.WaitForLineAsync("Rebalanced", TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(5)); // real time: > 3 overload windows of real processes pass, and the cooldown must hold
        int shed = hot.Output.Split('\n').Count(l => l.Contains("stopped") && l.Contains("Rebalanced"));
        Assert.Equal(1, shed);
        var after = await cluster.MapsAsync(All);
        Assert.Equal(All.Length - 1, after.Values.Count(m => m.Assignment?.HostId == hotId));
    }

    [Fact]
    public async Task BannedHostIsCutOffAndItsMapsMove()
    {
        await using var cluster = await DistributionCluster.StartAsync(Maps);
        var banned = await cluster.StartAgentAsync("vps");
        await WaitForAsync(cluster, AllRunning, TimeSpan.FromSeconds(30));
        string bannedId = DistributionCluster.HostIdOf(banned);
        await cluster.StartAgentAsync("vps");

        await cluster.Grains.GetGrain<IHostGrain>(bannedId).SetBannedAsync(true);
        await WaitForAsync(cluster, m => m.Values.All(i => i.Assignment is { } a && a.HostId != bannedId), TimeSpan.FromSeconds(15));
        await banned.WaitForLineAsync("HostBanned", TimeSpan.FromSeconds(15));
    }
}
