using Microsoft.Extensions.Time.Testing;
using P2PCluster.Grains.Admin;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// Each silo's copy of the host list (<see cref="HostViewCache"/>) against the real host directory grain: fresh for a
/// second, then served stale while one refresh runs, waited for when too old or after an operator's change.
/// </summary>
[Collection(InMemoryCluster.Name)]
public sealed class HostViewCacheTests(InMemoryClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = "hv" + Guid.NewGuid().ToString("N")[..8];

    private IHostDirectoryGrain Directory => fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(0);

    private Task JoinAsync(string name) => Directory.UpsertAsync(new HostCandidate(_prefix + name, HostKind.P2P, "127.0.0.1:6000",
        HostCapacity.Default, new HostLoad(10, 20, 1, 0), 0, 0.5, Accepting: true, Status: HostStatus.Online, Approved: true));

    private static bool Lists(Interfaces.Admin.HostSummary[] view, string id) => view.Any(h => h.HostId == id);

    [Fact]
    public async Task AFreshListIsKeptAStaleOneServedWhileOneRefreshRunsAndAnInvalidatedOneWaitedFor()
    {
        var cache = new HostViewCache(fixture.Cluster.GrainFactory, _time);
        await JoinAsync("a");
        Assert.True(Lists(await cache.GetAsync(), _prefix + "a"));

        await JoinAsync("b"); // the directory rebuilds its view when a host joins; this silo's copy is still fresh
        var first = await cache.GetAsync();
        Assert.False(Lists(first, _prefix + "b"));
        Assert.Same(first, await cache.GetAsync());

        _time.Advance(TimeSpan.FromSeconds(2)); // stale: answered at once with the old copy, a refresh started
        Assert.Same(first, await cache.GetAsync());
        await Eventually.HoldsAsync(() => cache.GetAsync(), view => Lists(view, _prefix + "b"), "the refresh started by a stale read", Wait,
            TimeSpan.FromMilliseconds(20));

        await JoinAsync("c");
        cache.Invalidate(); // an operator changed something: the next read waits for a list fetched after it
        Assert.True(Lists(await cache.GetAsync(), _prefix + "c"));

        await JoinAsync("d");
        _time.Advance(HostViewCache.MaxStale + TimeSpan.FromSeconds(1)); // too old to serve: waited for
        Assert.True(Lists(await cache.GetAsync(), _prefix + "d"));
    }

    [Fact]
    public async Task APageOfTheCurrentListIsComputedOnceAndANewListGivesNewPages()
    {
        var cache = new HostViewCache(fixture.Cluster.GrainFactory, _time);
        await JoinAsync("p");
        var query = new Interfaces.Admin.HostQuery(null, null, 0, 500);
        var first = await cache.PageAsync(query);
        Assert.Same(first, await cache.PageAsync(query with { })); // an equal query, another instance
        Assert.NotSame(first, await cache.PageAsync(query with { Limit = 1 }));
        Assert.Single((await cache.PageAsync(query with { Limit = 1 })).Items);

        await JoinAsync("q");
        cache.Invalidate();
        var second = await cache.PageAsync(query);
        Assert.NotSame(first, second);
        Assert.Contains(second.Items, h => h.HostId == _prefix + "q");
    }
}
