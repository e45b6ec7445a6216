using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A map without a host always has something that places it again, even when the database (grain state and reminders
/// both live in it) refuses writes for a while: the chaos suite's blocked-database fault once left a critical map
/// unassigned for good. Real grains, real clock; the writes fail through <see cref="StorageFaults"/>.
/// </summary>
[Collection(FastDistribution.Name)]
public sealed class PlacementRetryTests(FastDistributionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Placed = TimeSpan.FromSeconds(10);
    private readonly List<SimulatedHost> _hosts = [];
    private readonly List<IMapGrain> _maps = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private IGrainFactory Grains => fixture.Cluster.Client;
    private static StorageFaults Faults => FastDistributionFixture.Faults;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var map in _maps)
        {
            Faults.Heal(map.GetGrainId());
            output.WriteLine((await map.GetAsync()).ToString());
            await map.SetDisabledAsync(true);
        }
        foreach (var host in _hosts)
        {
            Faults.Heal(host.Grain.GetGrainId());
            output.WriteLine(host.ToString());
            await host.DisposeAsync();
            await host.Grain.DisconnectAsync(failure: false, reason: null);
        }
    }

    [Fact]
    public async Task AMapLeftWithoutAHostWhileItsReminderCannotBeWrittenIsPlacedOnceAHostQualifies()
    {
        var p2p = await HostAsync("rp", HostKind.P2P);
        var map = await MapAsync("rvk", MapPolicy.Default with { Critical = false, P2PAllowed = true, MinScore = 0 });
        Assert.Equal(p2p.HostId, (await map.GetAsync()).Assignment?.HostId);

        Faults.FailReminderWritesOf(map.GetGrainId());
        // No VPS is online: the map leaves its P2P host and waits. That is durable; only the retry reminder failed.
        var refused = await Record.ExceptionAsync(() => map.PatchPolicyAsync(new MapPolicyPatch(null, P2PAllowed: false, null, null)));
        Assert.Equal(MapStatus.Unassigned, (await map.GetAsync()).Status);

        // A VPS arrives while the map's state cannot be written either: the directory's wake-up cannot place it.
        Faults.FailWritesOf(map.GetGrainId());
        var vps = await HostAsync("rv", HostKind.Vps);
        await WaitForAsync(() => Task.FromResult(Faults.Refused(map.GetGrainId())), n => n >= 1, Placed);
        Faults.Heal(map.GetGrainId());

        await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == vps.HostId, Placed);
        Assert.True(await vps.WaitForAssignmentAsync(map.GetPrimaryKeyString(), Placed), $"{vps.HostId} never heard of the map");
        Assert.Null(refused); // the operator is told what was done, not an error about a reminder
    }

    [Fact]
    public async Task TheNewHostHearsOfItsMapWhenTheRetryReminderCannotBeRemoved()
    {
        var map = await MapAsync("wai", MapPolicy.Default with { Critical = true });
        Assert.Equal(MapStatus.Unassigned, (await map.GetAsync()).Status); // no VPS online: it waits, its reminder set

        Faults.FailReminderWritesOf(map.GetGrainId());
        var vps = await HostAsync("wv", HostKind.Vps);

        await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == vps.HostId, Placed);
        Assert.True(await vps.WaitForAssignmentAsync(map.GetPrimaryKeyString(), Placed),
            $"the map is assigned to {vps.HostId}, which never heard of it");
    }

    [Fact]
    public async Task AHostWhoseGrainCouldNotRecordItsNewMapIsToldAgainOnceItCan()
    {
        var a = await HostAsync("ta", HostKind.Vps);
        var b = await HostAsync("tb", HostKind.Vps);
        var map = await MapAsync("tld", MapPolicy.Default with { Critical = true });
        var from = (await map.GetAsync()).Assignment!.HostId == a.HostId ? a : b;
        var to = from == a ? b : a;

        // The map moves to the other host, whose grain cannot record it: the map is placed (durably), the host unaware.
        Faults.FailWritesOf(to.Grain.GetGrainId());
        try
        {
            await from.Grain.SetDrainingAsync(true);
            await WaitForAsync(() => Task.FromResult(Faults.Refused(to.Grain.GetGrainId())), n => n >= 1, Placed);
        }
        finally
        {
            Faults.Heal(to.Grain.GetGrainId());
        }

        Assert.True(await to.WaitForAssignmentAsync(map.GetPrimaryKeyString(), Placed),
            $"the map is on {(await map.GetAsync()).Assignment?.HostId}; {to.HostId} never heard of it");
        Assert.Equal(to.HostId, (await map.GetAsync()).Assignment?.HostId);
    }

    private async Task<SimulatedHost> HostAsync(string name, HostKind kind)
    {
        var host = new SimulatedHost(Grains, $"{name}-{_run}", kind);
        _hosts.Add(host);
        await host.ConnectAsync();
        host.StartHeartbeats(Beat);
        return host;
    }

    private async Task<IMapGrain> MapAsync(string name, MapPolicy policy)
    {
        var map = Grains.GetGrain<IMapGrain>($"{name}{_run}");
        _maps.Add(map);
        await map.SetPolicyAsync(policy);
        await map.EnsurePlacedAsync("test");
        return map;
    }

    private Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout) =>
        Eventually.HoldsAsync(read, done, "condition", timeout, TimeSpan.FromMilliseconds(25), describe: value => $"{value}; hosts: {string.Join("; ", _hosts)}");
}
