using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A host grain's directory entry as <see cref="HostView.PublishAsync"/> sends it to the real host directory grain:
/// listed while live, sent again only when due or forced, and marked as left (still visible to operators) once not live.
/// </summary>
[Collection(InMemoryCluster.Name)]
public sealed class HostViewPublishTests(InMemoryClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private readonly string _id = "hvp" + Guid.NewGuid().ToString("N")[..8];

    private IHostDirectoryGrain Directory => fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(0);

    private async Task<bool> ListedAsync() => (await Directory.ListAsync()).Any(c => c.HostId == _id);

    [Fact]
    public async Task ALiveHostIsListedRefreshedWhenDueAndMarkedLeftOnceItIsNotLive()
    {
        var view = new HostView(_id, TimeSpan.FromSeconds(2), new OverloadTracker(), new PlayerReports());
        // Draining: listed, but accepting no map, so no other test's placement can pick it.
        var s = new HostState { Status = HostStatus.Draining, Endpoint = "192.0.2.1:5121", OnlineSince = T0, Approved = true };

        await view.PublishAsync(Directory, s, isLive: true, T0, force: false);
        Assert.True(await ListedAsync());

        s.Status = HostStatus.Offline;
        await view.PublishAsync(Directory, s, isLive: false, T0.AddSeconds(1), force: false); // not due: nothing sent
        Assert.True(await ListedAsync());

        await view.PublishAsync(Directory, s, isLive: false, T0.AddSeconds(1), force: true);
        Assert.False(await ListedAsync());
        var left = await Directory.FindAsync(_id);
        Assert.NotNull(left);
        Assert.Equal(HostStatus.Offline, left.Status);
    }
}
