using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// REPORT_UNREACHABLE in the grains: the answer waits for the map to land on another host, signalled by the map
/// grain, not polled. The cluster's clock (a <c>FakeTimeProvider</c>) stands still unless a test moves it, so an
/// answer that comes without moving it came from the landing itself.
/// </summary>
[Collection(InMemoryCluster.Name)]
public sealed class ReportUnreachableTests(InMemoryClusterFixture fixture) : IAsyncLifetime
{
    private static int _nextAccount = 3_500_000, _nextChar = 700_000, _nextMap;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly List<IMapGrain> _maps = [];

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    /// <summary>The test's maps are taken out of service, so none of them lands later on another test's host.</summary>
    public async Task DisposeAsync()
    {
        foreach (var map in _maps) await map.SetDisabledAsync(true);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// A character routed to its map on a host that is gone (<see cref="TestPlacement.GoneUnheardAsync"/>). The map asks few hosts of the shared
    /// cluster to take it (VPS with a perfect score), and none of them runs it: only this test lands it.
    /// </summary>
    private async Task<(int Account, IPlayerSessionGrain Session, IMapGrain Map, TicketGrant Route)> RoutedToAGoneHostAsync()
    {
        int account = Interlocked.Increment(ref _nextAccount), character = Interlocked.Increment(ref _nextChar);
        string map = $"umap{Interlocked.Increment(ref _nextMap)}";
        InMemoryClusterFixture.Accounts.Add(new AccountRecord(account, $"user{account}", "secret", 'F', 0));
        InMemoryClusterFixture.Accounts.Add(new CharacterSummary(character, account, 0, $"Char{character}", 0, 1, map, 150, 180));
        var mapGrain = Grains.GetGrain<IMapGrain>(map);
        _maps.Add(mapGrain);
        await mapGrain.SetPolicyAsync(new MapPolicy(Critical: true, P2PAllowed: false, MaxPlayers: 50, MinScore: 100));
        string gone = $"hgone{character}";
        var assignment = await Grains.PlaceOnAsync(map, gone, HostKind.Vps, "198.51.100.7:6121");
        await mapGrain.InstanceStateAsync(gone, assignment.Epoch, MapInstanceState.Running, 6150, 1);
        await Grains.GoneUnheardAsync(assignment);
        var session = Grains.GetGrain<IPlayerSessionGrain>(character);
        var route = await session.RequestTicketAsync(account, map);
        Assert.Equal(gone, route.HostId);
        return (account, session, mapGrain, route);
    }

    [Fact]
    public async Task TheAnswerComesAsSoonAsTheMapLandsWithoutTheClockMoving()
    {
        var (account, session, map, route) = await RoutedToAGoneHostAsync();
        var report = session.ReportUnreachableAsync(account, route.Map, route.HostId, route.Epoch);
        // The gone host's grain gives the map up: it waits for a host (and the report with it).
        await UntilAsync(async () => (await map.GetAsync()).Assignment?.HostId != route.HostId, "the map to leave the gone host");
        Assert.False(report.IsCompleted);

        var landed = await Grains.PlaceOnAsync(map.GetPrimaryKeyString(), $"hnew{route.Epoch}{map.GetPrimaryKeyString()}", HostKind.Vps, "203.0.113.5:6121");
        Assert.False(report.IsCompleted); // assigned, but not running yet: no route to give
        await map.InstanceStateAsync(landed.HostId, landed.Epoch, MapInstanceState.Running, 6200, 1);

        var next = await report.WaitAsync(Wait);
        Assert.Equal((landed.HostId, landed.Epoch, "203.0.113.5:6200"), (next.HostId, next.Epoch, next.Endpoint));
    }

    [Fact]
    public async Task AMapThatDoesNotLandWithinTheFallbackWaitIsUnavailable()
    {
        var (account, session, map, route) = await RoutedToAGoneHostAsync();
        var report = session.ReportUnreachableAsync(account, route.Map, route.HostId, route.Epoch);
        await UntilAsync(async () => (await map.GetAsync()).Assignment?.HostId != route.HostId, "the map to leave the gone host");
        // Moved in steps: the wait's timer may be set only after a step, and one more step then ends it.
        for (int i = 0; i < 10 && !report.IsCompleted; i++)
        {
            InMemoryClusterFixture.Time.Advance(PlayerSessionGrain.FallbackWait);
            // Real time, bounded: the grain's turn that sees the advanced clock runs on the silo's scheduler.
            await Task.WhenAny(report, Task.Delay(200));
        }
        var refused = await Assert.ThrowsAsync<ClusterException>(() => report.WaitAsync(Wait));
        Assert.Equal(ClusterError.MapUnavailable, refused.Code);
    }

    [Fact]
    public async Task AReportAboutAnotherAccountsCharacterIsRefusedAndCountsAgainstNobody()
    {
        var (account, session, map, route) = await RoutedToAGoneHostAsync();
        var refused = await Assert.ThrowsAsync<ClusterException>(() => session.ReportUnreachableAsync(account + 1, route.Map, route.HostId, route.Epoch));
        Assert.Equal(ClusterError.IdentityMismatch, refused.Code);
        Assert.Equal(route.HostId, (await map.GetAsync()).Assignment?.HostId); // the host was not even asked
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.TrueAsync(condition, what, Wait, TimeSpan.FromMilliseconds(20));
}
