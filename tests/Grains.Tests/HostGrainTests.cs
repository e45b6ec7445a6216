using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

[Collection(InMemoryCluster.Name)]
public sealed class HostGrainTests(InMemoryClusterFixture fixture)
{
    private static int _next;

    private IHostGrain NewHost() => fixture.Cluster.GrainFactory.GetGrain<IHostGrain>($"host-{Interlocked.Increment(ref _next)}");

    private static HostRegistration Registration(byte fill = 1, HostKind kind = HostKind.P2P) =>
        new(Enumerable.Repeat(fill, 32).ToArray(), kind, "127.0.0.1:6100");

    [Fact]
    public async Task FirstConnectBindsTheKeyAndGoesOnline()
    {
        var host = NewHost();
        var info = await host.ConnectAsync(Registration(kind: HostKind.Vps));
        Assert.Equal(HostStatus.Online, info.Status);
        Assert.Equal(HostKind.Vps, info.Kind);
        Assert.Equal(Registration().PublicKey, info.PublicKey);
        Assert.Equal(1, info.Reliability.Sessions);
    }

    [Fact]
    public async Task ACapacityWhoseWriteFailedIsWrittenWhenReportedAgain()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration());
        var capacity = new HostCapacity(3, 60, 70, 75, 50);
        InMemoryClusterFixture.Faults.FailWritesOf(host.GetGrainId());
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => host.ReportCapacityAsync(capacity));
            // Memory went back to what storage holds, so the agent's next report is a change and is written (fails again here).
            await Assert.ThrowsAnyAsync<Exception>(() => host.ReportCapacityAsync(capacity));
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(host.GetGrainId());
        }
        await host.ReportCapacityAsync(capacity);
    }

    [Fact]
    public async Task DistinctPlayersReportingAHostUnreachableMakeItSuspectAndItsMapsMove()
    {
        var host = NewHost();
        string id = host.GetPrimaryKeyString();
        string map = $"umap{Interlocked.Increment(ref _next)}";
        await host.ConnectAsync(Registration());
        await host.AddMapAsync(map, 7);

        // Wrong epoch or a map it does not hold: the cluster already knows it does not serve that.
        Assert.True(await host.ReportUnreachableAsync(2000001, map, 6));
        Assert.True(await host.ReportUnreachableAsync(2000001, "elsewhere", 7));
        // The same player twice counts once; two players are not enough (default: three).
        Assert.False(await host.ReportUnreachableAsync(2000001, map, 7));
        Assert.False(await host.ReportUnreachableAsync(2000001, map, 7));
        Assert.False(await host.ReportUnreachableAsync(2000002, map, 7));
        // Reports older than the window are forgotten.
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await host.ReportUnreachableAsync(2000003, map, 7));
        Assert.False(await host.ReportUnreachableAsync(2000004, map, 7));
        Assert.True(await host.ReportUnreachableAsync(2000005, map, 7));

        var info = await host.GetAsync();
        Assert.Empty(info.Maps);
        Assert.Equal(HostStatus.Online, info.Status);
        Assert.Contains("players could not reach it", info.Reliability.LastFailureReason);
        var listed = await fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(0).ListAsync();
        Assert.DoesNotContain(listed, c => c.HostId == id && c.Accepting);
        Assert.Equal(ClusterError.InvalidArgument,
            (await Assert.ThrowsAsync<ClusterException>(() => host.ReportUnreachableAsync(0, map, 7))).Code);
    }

    [Fact]
    public async Task PlayersReportedLatencyReachesPlacementAsAMovingAverage()
    {
        var host = NewHost();
        string id = host.GetPrimaryKeyString();
        await host.ConnectAsync(Registration());
        // One-way calls may arrive in any order, and a moving average depends on the order: report one value, twice.
        await host.ReportLatencyAsync(80);
        await host.ReportLatencyAsync(-5); // nonsense: ignored
        await host.ReportLatencyAsync(80);
        var directory = fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(0);
        double seen = await Eventually.HoldsAsync(async () =>
        {
            InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(3)); // past the directory refresh
            await host.HeartbeatAsync(new HostHeartbeat(HostLoad.Idle, []));
            return (await directory.ListAsync()).Single(c => c.HostId == id).LatencyMs;
        }, latency => latency == 80, "the directory shows the reported latency", interval: TimeSpan.FromMilliseconds(20));
        Assert.Equal(80, seen, precision: 6);
    }

    [Fact]
    public void LatencyCountsInTheScoreAndUnknownIsNeutral()
    {
        var capacity = new HostCapacity(5, 100, 80, 85, 100);
        var host = new HostCandidate("h1", HostKind.P2P, "127.0.0.1:6121", capacity, HostLoad.Idle, 0, 0.5, true);
        var near = PlacementScorer.Components(host with { LatencyMs = 25 });
        var far = PlacementScorer.Components(host with { LatencyMs = 400 });
        var unknown = PlacementScorer.Components(host);
        Assert.Equal((0.9, 0.0, 0.5), (near.Latency, far.Latency, unknown.Latency));
        Assert.True(near.Total > unknown.Total && unknown.Total > far.Total, $"{near.Total} {unknown.Total} {far.Total}");
        Assert.Equal(100 * PlacementScorer.LatencyWeight * 0.9, near.Total - far.Total, precision: 1);
    }

    [Fact]
    public async Task TheEndOfAnOlderConnectionLeavesTheHostOnlineOnItsNewOne()
    {
        // The agent lost its connection through gateway A and registered again through gateway B; A notices that its
        // session is gone only later (idle timeout), when the host is long back. Seen in the chaos suite's partition.
        var host = NewHost();
        Guid viaA = Guid.NewGuid(), viaB = Guid.NewGuid();
        await host.ConnectAsync(Registration() with { Connection = viaA });
        await host.ConnectAsync(Registration() with { Connection = viaB });
        await host.DisconnectAsync(failure: true, "connection lost", viaA);
        var info = await host.GetAsync();
        Assert.Equal(HostStatus.Online, info.Status);
        Assert.Equal(0, info.Reliability.Failures);
        var listed = await fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(0).ListAsync();
        Assert.Contains(listed, c => c.HostId == host.GetPrimaryKeyString());

        // The session it registered through last still ends it.
        await host.DisconnectAsync(failure: true, "connection lost", viaB);
        Assert.Equal(HostStatus.Offline, (await host.GetAsync()).Status);
    }

    [Fact]
    public async Task AnOlderConnectionReattachingDoesNotTakeTheHostsPushes()
    {
        // Gateway A's session repeats its attach until it ends; by then the host may have registered through B.
        var grains = fixture.Cluster.GrainFactory;
        var viaA = new SimulatedHost(grains, $"host-{Interlocked.Increment(ref _next)}", HostKind.P2P);
        var viaB = new SimulatedHost(grains, viaA.HostId, HostKind.P2P);
        await using (viaA)
        await using (viaB)
        {
            await viaA.ConnectAsync();
            await viaB.ConnectAsync();
            await viaA.ReattachAsync();
            await viaA.Grain.AddMapAsync("staleatt", 1);
            Assert.True(await viaB.WaitForAssignmentAsync("staleatt", TimeSpan.FromSeconds(10)), "the host's current connection got no ASSIGN_MAP");
            Assert.False(viaA.Running.ContainsKey("staleatt"), "the older connection took the push");
        }
    }

    [Fact]
    public async Task AnotherKeyForTheSameHostIdIsRefused()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration(1));
        await host.DisconnectAsync(failure: false, reason: null);
        var e = await Assert.ThrowsAsync<ClusterException>(() => host.ConnectAsync(Registration(2)));
        Assert.Equal(ClusterError.IdentityMismatch, e.Code);
        Assert.Equal(HostStatus.Offline, (await host.GetAsync()).Status);
    }

    [Fact]
    public async Task BannedHostIsRefusedUntilUnbanned()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration());
        await host.SetBannedAsync(true);
        Assert.Equal(HostStatus.Banned, (await host.GetAsync()).Status);
        var e = await Assert.ThrowsAsync<ClusterException>(() => host.ConnectAsync(Registration()));
        Assert.Equal(ClusterError.HostBanned, e.Code);
        await host.DisconnectAsync(failure: false, reason: null);
        Assert.Equal(HostStatus.Banned, (await host.GetAsync()).Status);

        await host.SetBannedAsync(false);
        Assert.Equal(HostStatus.Online, (await host.ConnectAsync(Registration())).Status);
    }

    [Fact]
    public async Task ReliabilityCountsUptimeAndFailures()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration());
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromMinutes(10));
        await host.DisconnectAsync(failure: true, reason: "heartbeat timeout");
        await host.ConnectAsync(Registration());
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromMinutes(5));
        await host.DisconnectAsync(failure: false, reason: null);

        var r = (await host.GetAsync()).Reliability;
        Assert.Equal(2, r.Sessions);
        Assert.Equal(1, r.Failures);
        Assert.True(r.TotalUptime >= TimeSpan.FromMinutes(15), $"uptime {r.TotalUptime}");
        Assert.Equal("heartbeat timeout", r.LastFailureReason);
        Assert.Equal(0.5, r.CleanRatio());
    }

    [Fact]
    public async Task ReconnectWhileOnlineIsOneSession()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration());
        var info = await host.ConnectAsync(Registration());
        Assert.Equal(1, info.Reliability.Sessions);
    }

    [Fact]
    public async Task MapsAreTrackedByEpochAndStaleRemovalsIgnored()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration());
        await host.AddMapAsync("prontera", 3);
        await host.AddMapAsync("prontera", 2); // older news: ignored
        Assert.Equal(3, (await host.GetAsync()).Maps["prontera"]);
        await host.RemoveMapAsync("prontera", 2); // removal of an older assignment must not drop the newer one
        Assert.True((await host.GetAsync()).Maps.ContainsKey("prontera"));
        await host.RemoveMapAsync("prontera", 3);
        Assert.Empty((await host.GetAsync()).Maps);
    }

    [Fact]
    public async Task DrainingSurvivesReconnect()
    {
        var host = NewHost();
        await host.ConnectAsync(Registration());
        await host.SetDrainingAsync(true);
        Assert.Equal(HostStatus.Draining, (await host.GetAsync()).Status);
        await host.DisconnectAsync(failure: false, reason: null);
        Assert.Equal(HostStatus.Draining, (await host.ConnectAsync(Registration())).Status);
        await host.SetDrainingAsync(false);
        Assert.Equal(HostStatus.Online, (await host.GetAsync()).Status);
    }

    [Theory]
    [InlineData(31, "127.0.0.1:6100")]
    [InlineData(0, "127.0.0.1:6100")]
    [InlineData(32, "nope")]
    public async Task BadRegistrationIsRejected(int keyLength, string endpoint)
    {
        var host = NewHost();
        var e = await Assert.ThrowsAsync<ClusterException>(() =>
            host.ConnectAsync(new HostRegistration(new byte[keyLength], HostKind.P2P, endpoint)));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
        Assert.Null((await host.GetAsync()).PublicKey);
    }

    [Fact]
    public async Task UnknownKindIsRejected()
    {
        var e = await Assert.ThrowsAsync<ClusterException>(() =>
            NewHost().ConnectAsync(new HostRegistration(new byte[32], (HostKind)9, "127.0.0.1:6100")));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
    }
}
