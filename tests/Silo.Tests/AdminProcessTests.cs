using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PCluster.Grains;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Admin;
using P2PCluster.Grains.Interfaces;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The operator's network-wide actions (<see cref="ClusterAdmin"/> over an Orleans client) on a silo process with real
/// host agent processes: what each agent actually stopped and started is read from its log.
/// </summary>
public sealed class AdminProcessTests(ITestOutputHelper output)
{
    private static readonly string[] Normal = ["geffen", "payon", "izlude"];
    private const string Critical = "prontera";
    private static readonly string[] All = [Critical, .. Normal];

    private const string Maps = """
          prontera:
            critical: true
          geffen:
          payon:
          izlude:
        """;

    private static ClusterAdmin AdminOf(DistributionCluster cluster) =>
        new(cluster.Grains, new InMemoryAccountStore(), Options.Create(new ClusterStateOptions { Maps = All }),
            new HostViewCache(cluster.Grains, TimeProvider.System), NullLogger<ClusterAdmin>.Instance);

    [Fact]
    public async Task FailoverEmptiesP2PUntilResumeAndResetRestartsEveryMapUnderANewEpoch()
    {
        await using var cluster = await DistributionCluster.StartAsync(Maps);
        var p2p = await cluster.StartAgentAsync("p2p");
        var vps = await cluster.StartAgentAsync("vps");
        string p2pId = DistributionCluster.HostIdOf(p2p), vpsId = DistributionCluster.HostIdOf(vps);
        var maps = await WaitForAsync(cluster, m => AllRunning(m) && Normal.All(n => m[n].Assignment!.HostId == p2pId), "normal maps on the P2P host");
        var admin = AdminOf(cluster);

        var failover = await admin.EmergencyFailoverAsync("process-test");
        Assert.True(failover.Changed, failover.Message);
        await WaitForAsync(cluster, m => AllRunning(m) && m.Values.All(i => i.Assignment!.HostId == vpsId), "every map running on the VPS");
        foreach (string name in Normal) await p2p.WaitForLineAsync($"Map {name} stopped (epoch {maps[name].Epoch}", TimeSpan.FromSeconds(15));
        Assert.False((await admin.EmergencyFailoverAsync("process-test")).Changed);
        Assert.True((await admin.ResumeP2PAsync()).Changed);

        var before = await cluster.MapsAsync(All);
        var reset = await admin.ResetNetworkAsync();
        Assert.True(reset.Changed, reset.Message);
        var after = await WaitForAsync(cluster, m => AllRunning(m) && All.All(n => m[n].Epoch > before[n].Epoch), "every map running under a new epoch");
        foreach (string name in All)
        {
            var old = before[name].Assignment!;
            var deposed = old.HostId == p2pId ? p2p : vps;
            await deposed.WaitForLineAsync($"Map {name} stopped (epoch {old.Epoch}", TimeSpan.FromSeconds(15));
            output.WriteLine($"{name}: {old.HostId}@{old.Epoch} -> {after[name].Assignment!.HostId}@{after[name].Epoch}");
        }
        var again = await admin.ResetNetworkAsync();
        Assert.False(again.Changed, again.Message);
        var unchanged = await cluster.MapsAsync(All);
        foreach (string name in All) Assert.Equal(after[name].Epoch, unchanged[name].Epoch);
    }

    [Fact]
    public async Task DrainedAgentStopsItsMapsWhichRunOnAnotherAgent()
    {
        await using var cluster = await DistributionCluster.StartAsync(Maps);
        var first = await cluster.StartAgentAsync("vps");
        var maps = await WaitForAsync(cluster, AllRunning, "every map running on the first agent");
        string firstId = DistributionCluster.HostIdOf(first);
        var second = await cluster.StartAgentAsync("vps");
        var admin = AdminOf(cluster);

        var drained = await admin.DrainHostAsync(firstId, true);

        Assert.True(drained.Changed);
        Assert.Equal(All.Order(StringComparer.Ordinal), drained.Moved.Select(m => m.Map));
        await WaitForAsync(cluster, m => AllRunning(m) && m.Values.All(i => i.Assignment!.HostId == DistributionCluster.HostIdOf(second)), "every map on the second agent");
        foreach (string name in All) await first.WaitForLineAsync($"Map {name} stopped (epoch {maps[name].Epoch}", TimeSpan.FromSeconds(15));
        Assert.False((await admin.DrainHostAsync(firstId, true)).Changed);
        Assert.Equal(HostStatus.Draining, (await admin.GetHostAsync(firstId))!.Summary.Status);
    }

    private static bool AllRunning(Dictionary<string, MapInfo> maps) =>
        maps.Values.All(m => m.Assignment is not null && m.InstanceState == MapInstanceState.Running && m.InstancePort > 0);

    private static Task<Dictionary<string, MapInfo>> WaitForAsync(DistributionCluster cluster, Func<Dictionary<string, MapInfo>, bool> done, string what) =>
        Eventually.HoldsAsync(() => cluster.MapsAsync(All), done, what, TimeSpan.FromSeconds(30),
            describe: maps => $"\n{string.Join("\n", maps.Values)}\n{cluster.Logs()}");
}
