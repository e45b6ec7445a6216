using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

[Collection(InMemoryCluster.Name)]
public sealed class MapGrainTests(InMemoryClusterFixture fixture)
{
    private static int _next;

    private IMapGrain NewMap() => fixture.Cluster.GrainFactory.GetGrain<IMapGrain>($"m{Interlocked.Increment(ref _next)}");

    /// <summary>The map on the named host, through the production path (<see cref="TestPlacement"/>).</summary>
    private Task<MapAssignment> PlaceAsync(IMapGrain map, string hostId, HostKind kind, string endpoint) =>
        fixture.Cluster.GrainFactory.PlaceOnAsync(map.GetPrimaryKeyString(), hostId, kind, endpoint);

    [Fact]
    public async Task NewMapIsUnassignedWithDefaultPolicy()
    {
        var info = await NewMap().GetAsync();
        Assert.Equal(MapStatus.Unassigned, info.Status);
        Assert.Null(info.Assignment);
        Assert.Equal(0, info.Epoch);
        Assert.Equal(MapPolicy.Default, info.Policy);
    }

    [Fact]
    public async Task EveryAssignmentRaisesTheEpoch()
    {
        var map = NewMap();
        var first = await PlaceAsync(map, "host-a", HostKind.P2P, "127.0.0.1:6000");
        var second = await PlaceAsync(map, "host-b", HostKind.Vps, "127.0.0.1:6001");
        Assert.Equal(1, first.Epoch);
        Assert.Equal(2, second.Epoch);
        var info = await map.GetAsync();
        Assert.Equal(MapStatus.Assigned, info.Status);
        Assert.Equal(second, info.Assignment);
    }

    [Fact]
    public async Task StaleEpochIsRejected()
    {
        var map = NewMap();
        var old = await PlaceAsync(map, "host-a", HostKind.P2P, "127.0.0.1:6000");
        var current = await PlaceAsync(map, "host-b", HostKind.P2P, "127.0.0.1:6001");

        await map.CheckEpochAsync(current.HostId, current.Epoch);
        var e = await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync(old.HostId, old.Epoch));
        Assert.Equal(ClusterError.StaleEpoch, e.Code);
        e = await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync("host-a", current.Epoch));
        Assert.Equal(ClusterError.StaleEpoch, e.Code);
        Assert.False(await map.InstanceStateAsync(old.HostId, old.Epoch, MapInstanceState.Running, 6000, 1)); // a deposed host's report is ignored
        Assert.Equal(current, (await map.GetAsync()).Assignment);
    }

    [Fact]
    public async Task InstanceReportsThatOvertakeEachOtherKeepTheLatestState()
    {
        var map = NewMap();
        var a = await PlaceAsync(map, "host-a", HostKind.P2P, "127.0.0.1:6000");
        // The host said Starting (1) then Running (2); Running arrives first.
        Assert.True(await map.InstanceStateAsync(a.HostId, a.Epoch, MapInstanceState.Running, 6100, 2));
        Assert.True(await map.InstanceStateAsync(a.HostId, a.Epoch, MapInstanceState.Starting, 0, 1));
        var info = await map.GetAsync();
        Assert.Equal((MapInstanceState?)MapInstanceState.Running, info.InstanceState);
        Assert.Equal(6100, info.InstancePort);

        // A resend of one already applied is confirmed and changes nothing; a later one applies.
        Assert.True(await map.InstanceStateAsync(a.HostId, a.Epoch, MapInstanceState.Running, 6100, 2));
        Assert.True(await map.InstanceStateAsync(a.HostId, a.Epoch, MapInstanceState.Stopped, 0, 3));
        Assert.Equal((MapInstanceState?)MapInstanceState.Stopped, (await map.GetAsync()).InstanceState);

        // A new epoch starts its own sequence; the old host's reports are refused.
        var b = await PlaceAsync(map, "host-b", HostKind.P2P, "127.0.0.1:6001");
        Assert.False(await map.InstanceStateAsync(a.HostId, a.Epoch, MapInstanceState.Running, 6100, 9));
        Assert.True(await map.InstanceStateAsync(b.HostId, b.Epoch, MapInstanceState.Running, 6200, 1));
        Assert.Equal(6200, (await map.GetAsync()).InstancePort);
    }

    [Fact]
    public async Task EpochNeverGoesBackAfterTheMapLeavesItsHost()
    {
        var map = NewMap();
        var a = await PlaceAsync(map, "host-a", HostKind.P2P, "127.0.0.1:6000");
        await map.SetDisabledAsync(true);
        var info = await map.GetAsync();
        Assert.Equal((MapStatus.Disabled, null, 1L), (info.Status, info.Assignment, info.Epoch));
        await map.SetDisabledAsync(false);
        var again = await PlaceAsync(map, "host-a", HostKind.P2P, "127.0.0.1:6000");
        Assert.True(again.Epoch > a.Epoch, $"epoch {again.Epoch} after {a.Epoch}");
        await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync("host-a", a.Epoch));
    }

    [Fact]
    public async Task CriticalMapRefusesP2PHosts()
    {
        var map = NewMap();
        await map.SetPolicyAsync(MapPolicy.Default with { Critical = true });
        var e = await Assert.ThrowsAsync<ClusterException>(() => PlaceAsync(map, "pc-1", HostKind.P2P, "127.0.0.1:6000"));
        Assert.Equal(ClusterError.PolicyViolation, e.Code);
        var vps = await PlaceAsync(map, "vps-1", HostKind.Vps, "127.0.0.1:6001");
        Assert.Equal(HostKind.Vps, vps.HostKind);
    }

    [Fact]
    public async Task PolicyForbiddingTheCurrentHostIsRefused()
    {
        var map = NewMap();
        await PlaceAsync(map, "pc-1", HostKind.P2P, "127.0.0.1:6000");
        var e = await Assert.ThrowsAsync<ClusterException>(() => map.SetPolicyAsync(MapPolicy.Default with { P2PAllowed = false }));
        Assert.Equal(ClusterError.PolicyViolation, e.Code);
        Assert.True((await map.GetAsync()).Policy.P2PAllowed);
    }

    [Fact]
    public async Task DisabledMapIsNeverAssigned()
    {
        var map = NewMap();
        await PlaceAsync(map, "pc-1", HostKind.P2P, "127.0.0.1:6000");
        await map.SetDisabledAsync(true);
        var info = await map.GetAsync();
        Assert.Equal(MapStatus.Disabled, info.Status);
        Assert.Null(info.Assignment);
        var e = await Assert.ThrowsAsync<ClusterException>(() => PlaceAsync(map, "pc-1", HostKind.P2P, "127.0.0.1:6000"));
        Assert.Equal(ClusterError.PolicyViolation, e.Code);
        var enabled = await map.SetDisabledAsync(false); // placed again (pc-1 is online), under the next epoch
        Assert.Equal(2, Assert.Single(enabled.Moved).Epoch);
        Assert.Equal(2, (await map.GetAsync()).Assignment?.Epoch);
    }

    [Theory]
    [InlineData("", "127.0.0.1:6000")]
    [InlineData("host a", "127.0.0.1:6000")]
    [InlineData("host-a", "127.0.0.1")]
    [InlineData("host-a", "127.0.0.1:99999")]
    public async Task BadAssignmentArgumentsAreRejected(string hostId, string endpoint)
    {
        var map = NewMap();
        var e = await Assert.ThrowsAsync<ClusterException>(() => PlaceAsync(map, hostId, HostKind.P2P, endpoint));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
        Assert.Equal(0, (await map.GetAsync()).Epoch);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, -1)]
    [InlineData(100, double.NaN)]
    public async Task BadPolicyIsRejected(int maxPlayers, double minScore)
    {
        var e = await Assert.ThrowsAsync<ClusterException>(() => NewMap().SetPolicyAsync(new MapPolicy(false, true, maxPlayers, minScore)));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
    }

    [Fact]
    public async Task InvalidMapNameFailsActivation()
    {
        var map = fixture.Cluster.GrainFactory.GetGrain<IMapGrain>("way_too_long_map_name");
        var e = await Assert.ThrowsAsync<ClusterException>(map.GetAsync);
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
    }

    [Fact]
    public async Task AChangeWhoseWriteFailsIsNotKeptInMemory()
    {
        var map = NewMap();
        var assignment = await PlaceAsync(map, "h00000000000000000031", HostKind.Vps, "203.0.113.9:6121");
        var before = await map.GetAsync();
        InMemoryClusterFixture.Faults.FailWritesOf(map.GetGrainId());
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => map.SetPolicyAsync(new MapPolicy(true, false, 42, 7)));
            await Assert.ThrowsAnyAsync<Exception>(() => map.InstanceStateAsync(assignment.HostId, assignment.Epoch, MapInstanceState.Running, 6150, 1));
            await Assert.ThrowsAnyAsync<Exception>(() => map.SetDisabledAsync(true));
            var after = await map.GetAsync();
            Assert.Equal(before with { Decision = null }, after with { Decision = null }); // a decision's candidate list compares by reference
            Assert.Equal(before.Decision?.HostId, after.Decision?.HostId);
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(map.GetGrainId());
        }
        // The host's report, sent again with the same sequence, is applied now that it can be stored.
        Assert.True(await map.InstanceStateAsync(assignment.HostId, assignment.Epoch, MapInstanceState.Running, 6150, 1));
        Assert.Equal((MapInstanceState.Running, 6150), ((await map.GetAsync()).InstanceState, (await map.GetAsync()).InstancePort));
    }
}
