using System.Diagnostics;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A MAP_STATE lost while the cluster re-forms (a frozen silo: the gateway drops a packet whose grain call fails and
/// keeps the session) must not leave a map's record behind its instance. The heartbeat carries no port, so the host
/// grain asks the host to report the map again (ASSIGN_MAP of the same epoch, docs/protocol.md §7); and a map the
/// heartbeat no longer lists (its lease ran out) is recorded Stopped, so players are not sent to a closed port.
/// Issue 11 #5: after a silo SIGSTOP, maps stayed "starting" (or routed to a closed port) for over 70 s.
/// </summary>
[Collection(InMemoryCluster.Name)]
public sealed class InstanceStateRepairTests(InMemoryClusterFixture fixture)
{
    private static int _next;

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private async Task<(IHostGrain Host, IMapGrain Map, string Name, long Epoch)> HostedMapAsync()
    {
        int n = Interlocked.Increment(ref _next);
        var host = Grains.GetGrain<IHostGrain>($"repair-host-{n}");
        await host.ConnectAsync(new HostRegistration(Enumerable.Repeat((byte)7, 32).ToArray(), HostKind.Vps, "127.0.0.1:6100"));
        string name = $"repair{n}";
        var map = Grains.GetGrain<IMapGrain>(name);
        var assignment = await Grains.PlaceOnAsync(name, host.GetPrimaryKeyString(), HostKind.Vps, "127.0.0.1:6100"); // tells the host grain too
        return (host, map, name, assignment.Epoch);
    }

    [Fact]
    public async Task ARunningStateLostOnTheWayIsAskedForAgainByTheHeartbeat()
    {
        var (host, map, name, epoch) = await HostedMapAsync();
        await host.MapStateAsync(name, epoch, MapInstanceState.Starting, 0);
        await WaitForAsync(map, i => i.InstanceState == MapInstanceState.Starting);
        // MAP_STATE Running (port 6201) is lost; the heartbeat says Running.
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        var reply = await host.HeartbeatAsync(new HostHeartbeat(HostLoad.Idle, [new MapInstanceReport(name, epoch, MapInstanceState.Running, 0)]));
        var order = Assert.Single(reply.Assign);
        Assert.Equal((name, epoch), (order.Map, order.Epoch));
        Assert.Empty(reply.Revoke);

        // The host answers the same-epoch ASSIGN_MAP with its current state and port: the map can be played.
        await host.MapStateAsync(name, epoch, MapInstanceState.Running, 6201);
        await WaitForAsync(map, i => i.InstanceState == MapInstanceState.Running && i.InstancePort == 6201);
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        reply = await host.HeartbeatAsync(new HostHeartbeat(HostLoad.Idle, [new MapInstanceReport(name, epoch, MapInstanceState.Running, 0)]));
        Assert.Empty(reply.Assign); // heard and agreed: nothing more to ask
    }

    [Fact]
    public async Task AMapTheHeartbeatNoLongerListsIsRecordedStoppedAndAssignedAgain()
    {
        var (host, map, name, epoch) = await HostedMapAsync();
        await host.MapStateAsync(name, epoch, MapInstanceState.Running, 6202);
        await WaitForAsync(map, i => i.InstanceState == MapInstanceState.Running && i.InstancePort == 6202);

        // The host's lease ran out and it stopped the instance; its MAP_STATE Stopped was lost.
        var reply = await host.HeartbeatAsync(new HostHeartbeat(HostLoad.Idle, []));
        Assert.Equal((name, epoch), (reply.Assign.Single().Map, reply.Assign.Single().Epoch));
        await WaitForAsync(map, i => i.InstanceState == MapInstanceState.Stopped && i.InstancePort == 0);
        Assert.Equal((host.GetPrimaryKeyString(), epoch), ((await map.GetAsync()).Assignment?.HostId, (await map.GetAsync()).Epoch));

        // The instance starts again under the same epoch, and its Running report is applied after the Stopped one.
        await host.MapStateAsync(name, epoch, MapInstanceState.Starting, 0);
        await host.MapStateAsync(name, epoch, MapInstanceState.Running, 6203);
        await WaitForAsync(map, i => i.InstanceState == MapInstanceState.Running && i.InstancePort == 6203);
    }

    private static Task WaitForAsync(IMapGrain map, Func<MapInfo, bool> done) =>
        Eventually.HoldsAsync(() => map.GetAsync(), done, "the map as expected", interval: TimeSpan.FromMilliseconds(20));
}
