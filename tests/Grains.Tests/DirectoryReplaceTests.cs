using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>The directory counts a map off the host it leaves at once (network reset, operator move), not at that host's next refresh.</summary>
[Collection(InMemoryCluster.Name)]
public sealed class DirectoryReplaceTests(InMemoryClusterFixture fixture)
{
    private static int _next = 5000;

    private static HostCandidate Full(string id, HostKind kind) =>
        new(id, kind, "127.0.0.1:6000", HostCapacity.Default with { MaxMaps = 1 }, HostLoad.Idle, 1, 0.5, true);

    [Fact]
    public async Task AMapPlacedAgainMayStayOnItsFullHost()
    {
        var directory = fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(Interlocked.Increment(ref _next));
        string map = $"rp{_next}";
        await fixture.Cluster.GrainFactory.GetGrain<IMapGrain>(map).SetDisabledAsync(true); // a wake never places it for real
        await directory.UpsertAsync(Full("only", HostKind.P2P));
        Assert.Null(await directory.PlaceAsync(map, MapPolicy.Default, null, "test")); // full: its one slot is the map's

        var again = await directory.ReplaceAsync(map, MapPolicy.Default, "only", mayStay: true, "network reset");

        Assert.Equal("only", again?.HostId);
    }

    [Fact]
    public async Task AMapMovedOffAHostFreesItsSlotForTheNextPlacement()
    {
        var directory = fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(Interlocked.Increment(ref _next));
        string first = $"ra{_next}", second = $"rb{_next}";
        foreach (string m in (string[])[first, second]) await fixture.Cluster.GrainFactory.GetGrain<IMapGrain>(m).SetDisabledAsync(true);
        await directory.UpsertAsync(Full("a", HostKind.Vps));
        await directory.UpsertAsync(Full("b", HostKind.Vps) with { Maps = 0 });

        Assert.Equal("b", (await directory.ReplaceAsync(first, MapPolicy.Default, "a", mayStay: false, "moved"))?.HostId);
        Assert.Equal("a", (await directory.PlaceAsync(second, MapPolicy.Default, null, "test"))?.HostId); // a's slot is free now
    }
}
