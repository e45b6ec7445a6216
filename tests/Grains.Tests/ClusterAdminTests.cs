using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Admin;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using Xunit.Abstractions;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The operator's actions through <see cref="ClusterAdmin"/> on a real one-silo cluster with simulated hosts: each
/// action's effect is observed on the hosts (what they were told to run or stop), not just its answer, and each action
/// repeated changes nothing.
/// </summary>
[Collection(FastDistribution.Name)]
public sealed class ClusterAdminTests(FastDistributionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly List<SimulatedHost> _hosts = [];
    private readonly List<IMapGrain> _maps = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private IGrainFactory Grains => fixture.Cluster.Client;

    private ClusterAdmin Admin => new(Grains, new InMemoryAccountStore(), Options.Create(new ClusterStateOptions()), new HostViewCache(Grains, TimeProvider.System),
        NullLogger<ClusterAdmin>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Admin.ResumeP2PAsync(); // the pause is cluster-wide: never leave it to the next test
        foreach (var map in _maps) await map.SetDisabledAsync(true);
        foreach (var host in _hosts)
        {
            output.WriteLine(host.ToString());
            await host.DisposeAsync();
            if ((await host.Grain.GetAsync()).Status == HostStatus.Banned) await host.Grain.SetBannedAsync(false);
            await host.Grain.DisconnectAsync(failure: false, reason: null);
        }
    }

    private async Task<SimulatedHost> HostAsync(string name, HostKind kind, double cpu = 10)
    {
        var host = new SimulatedHost(Grains, $"{name}-{_run}", kind) { Load = new HostLoad(cpu, 20, 1, 0) };
        _hosts.Add(host);
        await host.ConnectAsync();
        host.StartHeartbeats(Beat);
        // Listed with its own load (published from a heartbeat), so scores order the hosts as the test means.
        await WaitForAsync(() => Grains.GetGrain<IHostDirectoryGrain>(0).FindAsync(host.HostId),
            h => h?.Load?.CpuPercent == cpu, $"{host.HostId} listed with its load");
        return host;
    }

    private async Task<IMapGrain> MapAsync(string name, MapPolicy? policy = null)
    {
        var map = Grains.GetGrain<IMapGrain>($"{name}{_run}"[..Math.Min(11, name.Length + 6)]);
        _maps.Add(map);
        await map.SetPolicyAsync(policy ?? MapPolicy.Default);
        await map.EnsurePlacedAsync("test");
        return map;
    }

    private static string Name(IMapGrain map) => map.GetPrimaryKeyString();

    [Fact]
    public async Task DrainedHostGetsNoNewMapsAndItsMapsRunElsewhere()
    {
        var a = await HostAsync("dra", HostKind.P2P, cpu: 5);
        var map = await MapAsync("dr1");
        var before = await map.GetAsync();
        Assert.Equal(a.HostId, before.Assignment?.HostId);
        var b = await HostAsync("drb", HostKind.P2P, cpu: 60); // worse than a: only a drain sends maps its way

        var drained = await Admin.DrainHostAsync(a.HostId, true);

        Assert.True(drained.Changed);
        var move = Assert.Single(drained.Moved);
        Assert.Equal((Name(map), a.HostId, b.HostId, HostKind.P2P), (move.Map, move.FromHost, move.ToHost, move.ToKind));
        Assert.True(move.Epoch > before.Epoch);
        await WaitForAsync(() => Task.FromResult(b.Running.GetValueOrDefault(Name(map))), e => e == move.Epoch, "the map runs on b");
        await WaitForAsync(() => Task.FromResult(a.Revoked.Any(r => r.Map == Name(map) && r.Reason == RevocationReason.Drained)), r => r, "a told to stop it");
        Assert.False(a.Running.ContainsKey(Name(map)));

        var fresh = await MapAsync("dr2"); // a scores better, but takes no new maps
        Assert.Equal(b.HostId, (await fresh.GetAsync()).Assignment?.HostId);
        var detail = await Admin.GetHostAsync(a.HostId);
        Assert.Equal((HostStatus.Draining, true), (detail!.Summary.Status, detail.Draining));

        var again = await Admin.DrainHostAsync(a.HostId, true);
        Assert.False(again.Changed);
        Assert.Empty(again.Moved);
        Assert.Equal(move.Epoch, (await map.GetAsync()).Epoch);

        Assert.True((await Admin.DrainHostAsync(a.HostId, false)).Changed);
        Assert.False((await Admin.DrainHostAsync(a.HostId, false)).Changed);
        Assert.Equal(HostStatus.Online, (await Admin.GetHostAsync(a.HostId))!.Summary.Status);
    }

    [Fact]
    public async Task DrainAnswersTheOperatorWhileAMapCannotBeToldAndTheMapMovesOnceItCan()
    {
        var a = await HostAsync("dua", HostKind.P2P, cpu: 5);
        var map = await MapAsync("du1");
        var before = await map.GetAsync();
        Assert.Equal(a.HostId, before.Assignment?.HostId);
        var b = await HostAsync("dub", HostKind.P2P, cpu: 60);

        HostLostFaults.MakeUnreachable(Name(map));
        AdminResult drained;
        try
        {
            var watch = Stopwatch.StartNew();
            drained = await Admin.DrainHostAsync(a.HostId, true);
            // Answered after the admin's short wait for the move, not after the host grain's retries.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the drain answered after {watch.Elapsed}");
        }
        finally
        {
            HostLostFaults.Heal(Name(map));
        }
        Assert.True(drained.Changed);
        Assert.Empty(drained.Moved);
        Assert.Contains("0 map(s) moved, 1 still being moved", drained.Message);
        var moved = await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == b.HostId, "the map moves to b once it can be told");
        Assert.Equal(1, HostLostFaults.DeliveredTo(Name(map), before.Epoch));
        Assert.True(moved.Epoch > before.Epoch);
    }

    [Fact]
    public async Task BannedHostIsDisconnectedAndCannotReconnect()
    {
        var a = await HostAsync("bna", HostKind.P2P, cpu: 5);
        var map = await MapAsync("bn1");
        Assert.Equal(a.HostId, (await map.GetAsync()).Assignment?.HostId);
        var b = await HostAsync("bnb", HostKind.P2P, cpu: 60);

        var banned = await Admin.BanHostAsync(a.HostId, true);

        Assert.True(banned.Changed);
        Assert.Equal(b.HostId, Assert.Single(banned.Moved).ToHost);
        await WaitForAsync(() => Task.FromResult(a.ClosedWith), c => c == ClusterError.HostBanned, "a's connection closed");
        var refused = await Assert.ThrowsAsync<ClusterException>(() => a.ConnectAsync());
        Assert.Equal(ClusterError.HostBanned, refused.Code);
        var listed = await Admin.ListHostsAsync(new HostQuery(HostStatus.Banned, null, 0, 500));
        Assert.Null(Assert.Single(listed.Items, h => h.HostId == a.HostId).Score);

        var again = await Admin.BanHostAsync(a.HostId, true);
        Assert.False(again.Changed);
        Assert.Equal(b.HostId, (await map.GetAsync()).Assignment?.HostId);

        Assert.True((await Admin.BanHostAsync(a.HostId, false)).Changed);
        Assert.False((await Admin.BanHostAsync(a.HostId, false)).Changed);
        await a.ConnectAsync(); // welcome again
        Assert.Equal(HostStatus.Online, (await a.Grain.GetAsync()).Status);
    }

    [Fact]
    public async Task AfterEmergencyFailoverNoMapIsOnAP2PHostUntilResume()
    {
        var p2p = await HostAsync("efp", HostKind.P2P);
        var vps = await HostAsync("efv", HostKind.Vps);
        var maps = new[] { await MapAsync("ef1"), await MapAsync("ef2") };
        foreach (var map in maps) Assert.Equal(p2p.HostId, (await map.GetAsync()).Assignment?.HostId);

        var failover = await Admin.EmergencyFailoverAsync("tester");

        Assert.True(failover.Changed);
        foreach (var map in maps)
        {
            var info = await map.GetAsync();
            Assert.Equal(vps.HostId, info.Assignment?.HostId);
            Assert.Contains(failover.Moved, m => m.Map == Name(map) && m.ToHost == vps.HostId && m.Epoch == info.Epoch);
            await WaitForAsync(() => Task.FromResult(vps.Running.GetValueOrDefault(Name(map))), e => e == info.Epoch, $"{Name(map)} runs on the VPS");
            Assert.False(p2p.Running.ContainsKey(Name(map)));
        }
        var network = await Admin.SummaryAsync();
        Assert.Equal((true, "tester"), (network.Network.P2PPaused, network.Network.PausedBy));

        var later = await MapAsync("ef3"); // the P2P host scores best and is online: still not chosen
        Assert.Equal(vps.HostId, (await later.GetAsync()).Assignment?.HostId);
        var refused = await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync(Name(later), p2p.HostId));
        Assert.Equal(ClusterError.PolicyViolation, refused.Code);
        Assert.Contains("paused", refused.Message);
        await vps.Grain.SetDrainingAsync(true); // even with the VPS draining, its maps do not go back to P2P
        foreach (var map in maps) Assert.NotEqual(p2p.HostId, (await map.GetAsync()).Assignment?.HostId);
        await vps.Grain.SetDrainingAsync(false);

        var again = await Admin.EmergencyFailoverAsync("tester");
        Assert.False(again.Changed);
        Assert.Empty(again.Moved);

        Assert.True((await Admin.ResumeP2PAsync()).Changed);
        Assert.False((await Admin.ResumeP2PAsync()).Changed);
        Assert.False((await Admin.SummaryAsync()).Network.P2PPaused);
        var resumed = await MapAsync("ef4");
        Assert.Equal(p2p.HostId, (await resumed.GetAsync()).Assignment?.HostId);
    }

    [Fact]
    public async Task AfterResetEveryEpochIsHigherAndDeposedHostsStoppedTheirMaps()
    {
        var a = await HostAsync("rsa", HostKind.P2P);
        var b = await HostAsync("rsb", HostKind.P2P);
        var maps = new[] { await MapAsync("rs1"), await MapAsync("rs2"), await MapAsync("rs3") };
        var hosts = new[] { a, b };
        var before = new Dictionary<string, MapAssignment>();
        foreach (var map in maps)
        {
            var assignment = (await map.GetAsync()).Assignment!;
            before[Name(map)] = assignment;
            var holder = hosts.Single(h => h.HostId == assignment.HostId);
            await WaitForAsync(() => Task.FromResult(holder.Running.GetValueOrDefault(Name(map))), e => e == assignment.Epoch, $"{Name(map)} running");
        }

        var reset = await Admin.ResetNetworkAsync();

        Assert.True(reset.Changed);
        foreach (var map in maps)
        {
            var old = before[Name(map)];
            var now = (await map.GetAsync()).Assignment!;
            Assert.True(now.Epoch > old.Epoch, $"{Name(map)}: epoch {now.Epoch} after {old.Epoch}");
            Assert.Contains(reset.Moved, m => m.Map == Name(map) && m.Epoch == now.Epoch && m.FromHost == old.HostId);
            var deposed = hosts.Single(h => h.HostId == old.HostId);
            await WaitForAsync(() => Task.FromResult(deposed.Revoked.Any(r => r.Map == Name(map) && r.Epoch == old.Epoch)), r => r, $"{old.HostId} told to stop {Name(map)}");
            var holder = hosts.Single(h => h.HostId == now.HostId);
            await WaitForAsync(() => Task.FromResult(holder.Running.GetValueOrDefault(Name(map))), e => e == now.Epoch, $"{Name(map)} runs under the new epoch");
            await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync(old.HostId, old.Epoch));
        }

        var again = await Admin.ResetNetworkAsync();
        Assert.False(again.Changed, again.Message);
        Assert.Empty(again.Moved);
        foreach (var map in maps) Assert.Equal(reset.Moved.Single(m => m.Map == Name(map)).Epoch, (await map.GetAsync()).Epoch);
    }

    [Fact]
    public async Task MapMovesToANamedHostOrToVpsAndRefusesWhatPolicyForbids()
    {
        var best = await HostAsync("mvb", HostKind.P2P, cpu: 5);
        var other = await HostAsync("mvo", HostKind.P2P, cpu: 40);
        var vps = await HostAsync("mvv", HostKind.Vps, cpu: 50);
        var map = await MapAsync("mv1");
        var start = (await map.GetAsync()).Assignment!;
        Assert.Equal(best.HostId, start.HostId);

        var moved = await Admin.MoveMapAsync(Name(map), other.HostId);
        Assert.True(moved.Changed);
        var now = (await map.GetAsync()).Assignment!;
        Assert.Equal((other.HostId, start.Epoch + 1), (now.HostId, now.Epoch));
        await WaitForAsync(() => Task.FromResult(other.Running.GetValueOrDefault(Name(map))), e => e == now.Epoch, "runs on the chosen host");
        await WaitForAsync(() => Task.FromResult(best.Running.ContainsKey(Name(map))), r => !r, "stopped on the old host");
        Assert.False((await Admin.MoveMapAsync(Name(map), other.HostId)).Changed);
        Assert.Equal(now.Epoch, (await map.GetAsync()).Epoch);

        var toVps = await Admin.MoveMapAsync(Name(map), null);
        Assert.Equal(vps.HostId, Assert.Single(toVps.Moved).ToHost);
        Assert.False((await Admin.MoveMapAsync(Name(map), null)).Changed);

        var critical = await MapAsync("mv2", MapPolicy.Default with { Critical = true });
        var forbidden = await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync(Name(critical), best.HostId));
        Assert.Equal(ClusterError.PolicyViolation, forbidden.Code);
        Assert.Contains("critical", forbidden.Message);
        await other.Grain.SetDrainingAsync(true);
        var draining = await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync(Name(map), other.HostId));
        Assert.Equal(ClusterError.InvalidArgument, draining.Code);
        Assert.Contains("draining", draining.Message);

        Assert.Equal(ClusterError.NotFound, (await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync(Name(map), $"nobody-{_run}"))).Code);
        Assert.Equal(ClusterError.NotFound, (await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync($"no{_run}", null))).Code);
        Assert.StartsWith("to:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync(Name(map), "not a host"))).Message);
        Assert.StartsWith("map:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync("not/a map", null))).Message);
    }

    [Fact]
    public async Task PolicyPatchMovesTheMapAndOutlivesTheConfiguredPolicy()
    {
        var p2p = await HostAsync("ppp", HostKind.P2P);
        var vps = await HostAsync("ppv", HostKind.Vps);
        var map = await MapAsync("pp1");
        Assert.Equal(p2p.HostId, (await map.GetAsync()).Assignment?.HostId);

        var patched = await Admin.SetMapPolicyAsync(Name(map), new MapPolicyPatch(null, false, null, 50));

        Assert.True(patched.Changed);
        Assert.Equal(vps.HostId, Assert.Single(patched.Moved).ToHost);
        var detail = (await Admin.GetMapAsync(Name(map)))!;
        Assert.True(detail.PolicyOverridden);
        Assert.Equal((false, 50), (detail.Summary.Policy.P2PAllowed, detail.Summary.Policy.MaxPlayers));
        Assert.Equal(MapPolicy.Default, detail.ConfiguredPolicy);
        Assert.False((await Admin.SetMapPolicyAsync(Name(map), new MapPolicyPatch(null, false, null, 50))).Changed);

        await map.SetPolicyAsync(MapPolicy.Default); // what MapCatalog does at every start
        detail = (await Admin.GetMapAsync(Name(map)))!;
        Assert.Equal((false, 50, true), (detail.Summary.Policy.P2PAllowed, detail.Summary.Policy.MaxPlayers, detail.PolicyOverridden));
        Assert.Equal(vps.HostId, detail.Summary.HostId);

        // Back to the configured values: the override is gone.
        Assert.True((await Admin.SetMapPolicyAsync(Name(map), new MapPolicyPatch(null, true, null, 100))).Changed);
        detail = (await Admin.GetMapAsync(Name(map)))!;
        Assert.False(detail.PolicyOverridden);
        Assert.Equal(MapPolicy.Default, detail.Summary.Policy);

        var bad = await Assert.ThrowsAsync<ClusterException>(() => Admin.SetMapPolicyAsync(Name(map), new MapPolicyPatch(null, null, null, 0)));
        Assert.Equal(ClusterError.InvalidArgument, bad.Code);
        Assert.StartsWith("maxPlayers:", bad.Message);
        Assert.StartsWith("minScore:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.SetMapPolicyAsync(Name(map), new MapPolicyPatch(null, null, 101, null)))).Message);
    }

    [Fact]
    public async Task ReadsSayWhereEachMapRunsAndWhy()
    {
        var best = await HostAsync("rdb", HostKind.P2P, cpu: 5);
        var second = await HostAsync("rds", HostKind.P2P, cpu: 50);
        var vps = await HostAsync("rdv", HostKind.Vps);
        var map = await MapAsync("rd1");
        var info = await map.GetAsync();

        var detail = (await Admin.GetMapAsync(Name(map)))!;
        Assert.Equal((best.HostId, HostKind.P2P, info.Epoch), (detail.Summary.HostId, detail.Summary.HostKind, detail.Summary.Epoch));
        Assert.Contains(best.HostId, detail.Summary.Why);
        var decision = Assert.Single(detail.History);
        Assert.Equal((best.HostId, info.Epoch), (decision.HostId, decision.Epoch));
        Assert.Null(Assert.Single(decision.Candidates, c => c.HostId == best.HostId).Refused);
        Assert.Equal($"lower score than {best.HostId}", Assert.Single(decision.Candidates, c => c.HostId == second.HostId).Refused);
        Assert.Contains("P2P", Assert.Single(decision.Candidates, c => c.HostId == vps.HostId).Refused);
        Assert.Contains(await Admin.ListMapsAsync(), m => m.Name == Name(map) && m.HostId == best.HostId);

        var host = (await Admin.GetHostAsync(best.HostId))!;
        var key = (await best.Grain.GetAsync()).PublicKey!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key)), host.KeyFingerprint);
        Assert.Equal(info.Epoch, host.MapEpochs[Name(map)]);
        Assert.NotNull(host.Summary.Score);
        Assert.Equal(HostCapacity.Default, host.Summary.Capacity);
        await WaitForAsync(async () => (await Admin.GetHostAsync(best.HostId))!.RecentPlacements, r => r.Any(p => p.Map == Name(map)), "recent placements list the map");

        Assert.Null(await Admin.GetHostAsync($"never-{_run}"));
        Assert.Null(await Admin.GetMapAsync($"nv{_run}"));
        Assert.StartsWith("hostId:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.GetHostAsync("not a host"))).Message);
        var summary = await Admin.SummaryAsync();
        Assert.NotEmpty(summary.Silos);
    }

    private Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what) =>
        Eventually.HoldsAsync(read, done, what, Deadline, TimeSpan.FromMilliseconds(25), describe: value => $"{value}; hosts: {string.Join("; ", _hosts)}");
}
