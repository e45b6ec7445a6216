using System.Diagnostics;
using P2PCluster.Grains.Interfaces;
using Xunit.Abstractions;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>Placement, failure detection, fencing and rebalancing through the real grains, on the real clock.</summary>
[Collection(FastDistribution.Name)]
public sealed class DistributionTests(FastDistributionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);
    private readonly List<SimulatedHost> _hosts = [];
    private readonly List<IMapGrain> _maps = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private IGrainFactory Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Maps outlive a test: take them out of service so they do not drift onto the next test's hosts.
        foreach (var map in _maps) await map.SetDisabledAsync(true);
        foreach (var host in _hosts)
        {
            output.WriteLine(host.ToString()); // a host declared dead under load shows its refused heartbeats here
            await host.DisposeAsync();
            await host.Grain.DisconnectAsync(failure: false, reason: null); // leaves the directory for the next test
        }
    }

    private async Task<SimulatedHost> HostAsync(string name, HostKind kind, HostLoad? load = null)
    {
        var host = new SimulatedHost(Grains, $"{name}-{_run}", kind);
        if (load is not null) host.Load = load;
        _hosts.Add(host);
        await host.ConnectAsync();
        host.StartHeartbeats(Beat);
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

    [Fact]
    public async Task MapsGoToP2PHostsByScoreAndCriticalMapsOnlyToVps()
    {
        var idle = await HostAsync("idle", HostKind.P2P, new HostLoad(10, 20, 1, 0));
        var busy = await HostAsync("busy", HostKind.P2P, new HostLoad(60, 20, 1, 0));
        var vps = await HostAsync("vps", HostKind.Vps);
        await LoadsPublishedAsync(idle, busy, vps);

        var critical = await MapAsync("c", MapPolicy.Default with { Critical = true });
        Assert.Equal(vps.HostId, (await critical.GetAsync()).Assignment!.HostId);

        var first = await (await MapAsync("m0")).GetAsync();
        Assert.Equal(idle.HostId, first.Assignment!.HostId);
        Assert.True(first.Decision!.Score.Total > 0 && first.Decision.Eligible >= 2, $"decision {first.Decision}");

        var owners = new List<string>();
        for (int i = 1; i < 7; i++) owners.Add((await (await MapAsync($"m{i}")).GetAsync()).Assignment!.HostId);
        Assert.DoesNotContain(vps.HostId, owners);
        Assert.Contains(busy.HostId, owners); // capacity headroom shrinks as the idle host fills: maps spread
    }

    [Fact]
    public async Task MapBelowEveryP2PScoreGoesToVps()
    {
        var p2p = await HostAsync("p2p", HostKind.P2P);
        var vps = await HostAsync("vps", HostKind.Vps);
        await LoadsPublishedAsync(p2p, vps);
        var map = await MapAsync("picky", MapPolicy.Default with { MinScore = 99.9 });
        Assert.Equal(vps.HostId, (await map.GetAsync()).Assignment!.HostId);
    }

    [Fact]
    public async Task MapWithNoHostIsUnassignedUntilOneArrives()
    {
        var map = await MapAsync("lonely", MapPolicy.Default with { Critical = true });
        var before = await map.GetAsync();
        var directory = await Grains.GetGrain<IHostDirectoryGrain>(0).ListAsync();
        Assert.True(before.Status == MapStatus.Unassigned, $"{before} placed while the directory held: {string.Join("; ", directory)}");
        var vps = await HostAsync("vps", HostKind.Vps);
        var info = await WaitForAsync(map.GetAsync, m => m.Status == MapStatus.Assigned, TimeSpan.FromSeconds(5));
        Assert.Equal(vps.HostId, info.Assignment!.HostId);
    }

    [Fact]
    public async Task SilentHostIsDeclaredDeadItsMapsMoveAndItIsFencedWhenItReturns()
    {
        var doomed = await HostAsync("doomed", HostKind.P2P, new HostLoad(1, 1, 0, 0));
        await LoadsPublishedAsync(doomed);
        var maps = new List<IMapGrain>();
        for (int i = 0; i < 3; i++) maps.Add(await MapAsync($"f{i}"));
        var survivor = await HostAsync("survivor", HostKind.P2P, new HostLoad(50, 50, 0, 0));
        await WaitForAsync(() => Task.FromResult(doomed.Running.Count), n => n == 3, TimeSpan.FromSeconds(5));
        var oldEpochs = doomed.Running.ToDictionary();

        var watch = Stopwatch.StartNew();
        await doomed.FreezeAsync();
        foreach (var map in maps)
        {
            var moved = await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == survivor.HostId, TimeSpan.FromSeconds(10));
            Assert.True(moved.Epoch > oldEpochs[moved.Name]);
        }
        // Driven by the heartbeat timeout (not the minute-long reminder backstop); the second timeout's worth is the margin
        // a 2-core busy loop needed (4.8 s seen against a 4.5 s bound) for the watchdog's tick, the evacuation and the reads.
        Assert.True(watch.Elapsed < FastDistributionFixture.HeartbeatTimeout * 2, $"failover took {watch.Elapsed}");
        // The host is told (close, revocations) one-way, after the maps moved: wait for the message, don't race it.
        await WaitForAsync(() => Task.FromResult(doomed.ClosedWith), c => c == ClusterError.HostDeclaredDead, TimeSpan.FromSeconds(5));
        Assert.Equal(HostStatus.Offline, (await doomed.Grain.GetAsync()).Status);

        // The frozen host wakes up, reconnects and reports its old epochs: every one is revoked, nothing is accepted.
        foreach (var (name, epoch) in oldEpochs)
        {
            var e = await Assert.ThrowsAsync<ClusterException>(() => Grains.GetGrain<IMapGrain>(name).CheckEpochAsync(doomed.HostId, epoch));
            Assert.Equal(ClusterError.StaleEpoch, e.Code);
        }
        await doomed.ConnectAsync();
        var reply = await doomed.Grain.HeartbeatAsync(new HostHeartbeat(HostLoad.Idle,
            [.. oldEpochs.Select(m => new MapInstanceReport(m.Key, m.Value, MapInstanceState.Running, 3))]));
        Assert.Equal(oldEpochs.Keys.Order(), reply.Revoke.Select(r => r.Map).Order());
        Assert.All(reply.Revoke, r => Assert.Equal(RevocationReason.StaleEpoch, r.Reason));
        var stale = await doomed.Grain.MapStateAsync(oldEpochs.Keys.First(), oldEpochs.Values.First(), MapInstanceState.Running, 6200);
        Assert.NotNull(stale);
    }

    [Fact]
    public async Task DroppedConnectionThatComesBackInTimeKeepsItsMaps()
    {
        var host = await HostAsync("flaky", HostKind.Vps);
        var map = await MapAsync("grace", MapPolicy.Default with { Critical = true });
        long epoch = (await map.GetAsync()).Epoch;

        await host.Grain.DisconnectAsync(failure: true, reason: "reset");
        await host.ConnectAsync();
        // Real time: proving the grace holds means letting it pass on the fixture's real clock (TimeProvider.System).
        await Task.Delay(FastDistributionFixture.ReconnectGrace * 3);
        Assert.Equal(epoch, (await map.GetAsync()).Epoch);
        Assert.Equal(host.HostId, (await map.GetAsync()).Assignment!.HostId);

        // This time it does not come back (a real agent would reconnect; this one has gone for good).
        await host.FreezeAsync();
        await host.Grain.DisconnectAsync(failure: true, reason: "reset");
        // The map moves once the host's lease has surely run out (a heartbeat timeout after its last heartbeat); a
        // watchdog that finds this silo stalled for three of its periods (a loaded test machine) restarts that clock once.
        var info = await WaitForAsync(map.GetAsync, m => m.Status == MapStatus.Unassigned, FastDistributionFixture.HeartbeatTimeout * 3);
        Assert.Null(info.Assignment);
    }

    [Fact]
    public async Task OverloadedHostShedsOneMapAndDoesNotFlap()
    {
        var hot = await HostAsync("hot", HostKind.P2P, new HostLoad(5, 5, 0, 0));
        await LoadsPublishedAsync(hot);
        var maps = new List<IMapGrain>();
        for (int i = 0; i < 3; i++) maps.Add(await MapAsync($"o{i}"));
        var cool = await HostAsync("cool", HostKind.P2P, new HostLoad(30, 30, 0, 0));
        await WaitForAsync(() => Task.FromResult(hot.Running.Count), n => n == 3, TimeSpan.FromSeconds(5));

        hot.Load = new HostLoad(95, 40, 0, 0); // over its 80 % cpu limit
        await WaitForAsync(() => Task.FromResult(cool.Running.Count), n => n == 1, TimeSpan.FromSeconds(5));
        // Real time: the cooldown is proved by letting overload windows pass on the fixture's real clock, still overloaded.
        await Task.Delay(FastDistributionFixture.OverloadWindow * 4);
        Assert.Single(cool.Running);
        Assert.Equal(2, hot.Running.Count);
        Assert.Single(hot.Revoked, r => r.Reason == RevocationReason.Rebalanced);

        // While overloaded it takes nothing new.
        var fresh = await (await MapAsync("new")).GetAsync();
        Assert.Equal(cool.HostId, fresh.Assignment!.HostId);
    }

    [Fact]
    public async Task BanAndDrainMoveMapsAway()
    {
        var a = await HostAsync("a", HostKind.Vps);
        var map = await MapAsync("bd", MapPolicy.Default with { Critical = true });
        var b = await HostAsync("b", HostKind.Vps);
        Assert.Equal(a.HostId, (await map.GetAsync()).Assignment!.HostId);

        await a.Grain.SetDrainingAsync(true);
        var drained = await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == b.HostId, TimeSpan.FromSeconds(5));
        // REVOKE_MAP travels one-way after the map moved (under a busy loop it arrived after the move was seen).
        await WaitForAsync(() => Task.FromResult(a.Revoked.Any(r => r.Reason == RevocationReason.Drained)), seen => seen, TimeSpan.FromSeconds(5));

        await b.Grain.SetBannedAsync(true);
        await WaitForAsync(() => Task.FromResult(b.ClosedWith), c => c == ClusterError.HostBanned, TimeSpan.FromSeconds(5));
        // a is draining, b banned: nobody qualifies, so the map is visibly unassigned and b's epoch is dead.
        var after = await WaitForAsync(map.GetAsync, m => m.Status == MapStatus.Unassigned, TimeSpan.FromSeconds(5));
        Assert.Null(after.Assignment);
        await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync(b.HostId, drained.Epoch));
    }

    /// <summary>Waits until the directory lists every one of <paramref name="hosts"/> with the load it heartbeats: placement scores what the directory holds.</summary>
    private Task LoadsPublishedAsync(params SimulatedHost[] hosts) =>
        WaitForAsync(() => Grains.GetGrain<IHostDirectoryGrain>(0).ListAsync(),
            listed => hosts.All(h => listed.Any(c => c.HostId == h.HostId && c.Load == h.Load)), TimeSpan.FromSeconds(5));

    private Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout) =>
        Eventually.HoldsAsync(read, done, "condition", timeout, TimeSpan.FromMilliseconds(25), describe: value => $"{value}; hosts: {string.Join("; ", _hosts)}");
}
