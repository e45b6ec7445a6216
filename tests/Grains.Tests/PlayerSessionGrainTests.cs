using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

[Collection(InMemoryCluster.Name)]
public sealed class PlayerSessionGrainTests(InMemoryClusterFixture fixture)
{
    private static int _next = 150000;

    private IPlayerSessionGrain NewSession() => fixture.Cluster.GrainFactory.GetGrain<IPlayerSessionGrain>(Interlocked.Increment(ref _next));

    [Fact]
    public async Task ResolveThenEnterPutsTheCharacterOnTheMap()
    {
        var s = NewSession();
        Assert.Equal(SessionState.Resolving, (await s.BeginResolveAsync(2000001, "prontera")).State);
        var on = await s.EnterMapAsync("prontera", "host-a", 4);
        Assert.Equal(SessionState.OnMap, on.State);
        Assert.Equal(("prontera", "host-a", 4L, 2000001), (on.Map, on.HostId, on.Epoch, on.AccountId));
    }

    [Fact]
    public async Task FailedMoveReturnsToThePreviousMap()
    {
        var s = NewSession();
        await s.BeginResolveAsync(2000001, "prontera");
        await s.EnterMapAsync("prontera", "host-a", 1);
        Assert.Equal(SessionState.Moving, (await s.BeginMoveAsync("geffen")).State);
        var back = await s.FailMoveAsync();
        Assert.Equal(SessionState.OnMap, back.State);
        Assert.Equal("prontera", back.Map);
        Assert.Null(back.TargetMap);
    }

    [Fact]
    public async Task FailedFirstResolveLeavesTheCharacterOfflineNotStuck()
    {
        var s = NewSession();
        await s.BeginResolveAsync(2000001, "prontera");
        var after = await s.FailMoveAsync();
        Assert.Equal(SessionState.Offline, after.State);
        Assert.Equal(SessionState.Resolving, (await s.BeginResolveAsync(2000001, "prontera")).State);
    }

    [Fact]
    public async Task WarpToAnotherHostCompletes()
    {
        var s = NewSession();
        await s.BeginResolveAsync(2000001, "prontera");
        await s.EnterMapAsync("prontera", "host-a", 1);
        await s.BeginMoveAsync("geffen");
        var there = await s.EnterMapAsync("geffen", "host-b", 7);
        Assert.Equal(("geffen", "host-b", 7L), (there.Map, there.HostId, there.Epoch));
    }

    [Fact]
    public async Task LogoutClearsTheLocation()
    {
        var s = NewSession();
        await s.BeginResolveAsync(2000001, "prontera");
        await s.EnterMapAsync("prontera", "host-a", 1);
        var off = await s.LogoutAsync();
        Assert.Equal(SessionState.Offline, off.State);
        Assert.Null(off.Map);
        Assert.Null(off.HostId);
    }

    [Fact]
    public async Task CharacterOfAnotherAccountIsRefused()
    {
        var s = NewSession();
        await s.BeginResolveAsync(2000001, "prontera");
        await s.LogoutAsync();
        var e = await Assert.ThrowsAsync<ClusterException>(() => s.BeginResolveAsync(2000002, "prontera"));
        Assert.Equal(ClusterError.IdentityMismatch, e.Code);
    }

    [Fact]
    public async Task IllegalTransitionsAreRefused()
    {
        var s = NewSession();
        var e = await Assert.ThrowsAsync<ClusterException>(() => s.EnterMapAsync("prontera", "host-a", 1));
        Assert.Equal(ClusterError.InvalidTransition, e.Code);
        e = await Assert.ThrowsAsync<ClusterException>(() => s.BeginMoveAsync("geffen"));
        Assert.Equal(ClusterError.InvalidTransition, e.Code);
        await s.BeginResolveAsync(2000001, "prontera");
        e = await Assert.ThrowsAsync<ClusterException>(() => s.EnterMapAsync("geffen", "host-a", 1)); // not the map being resolved
        Assert.Equal(ClusterError.InvalidTransition, e.Code);
    }

    [Theory]
    [InlineData(0, "prontera")]
    [InlineData(2000001, "")]
    [InlineData(2000001, "twelve_chars")]
    public async Task BadArgumentsAreRejected(int accountId, string map)
    {
        var e = await Assert.ThrowsAsync<ClusterException>(() => NewSession().BeginResolveAsync(accountId, map));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
    }

    [Fact]
    public async Task NonPositiveCharIdFailsActivation()
    {
        var e = await Assert.ThrowsAsync<ClusterException>(() => fixture.Cluster.GrainFactory.GetGrain<IPlayerSessionGrain>(0).GetAsync());
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
    }
}
