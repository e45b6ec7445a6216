using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>What status a host's and a map's grain report to the cluster state, and the sliding count under the windows.</summary>
public sealed class ClusterStatusMappingTests
{
    [Theory]
    [InlineData(HostStatus.Online, false, false, false, ClusterHostStatus.Online)]
    [InlineData(HostStatus.Online, true, false, false, ClusterHostStatus.Suspect)]
    [InlineData(HostStatus.Draining, true, false, false, ClusterHostStatus.Draining)]
    [InlineData(HostStatus.Banned, false, false, true, ClusterHostStatus.Banned)]
    [InlineData(HostStatus.Offline, false, true, false, ClusterHostStatus.Suspect)]
    [InlineData(HostStatus.Offline, false, false, true, ClusterHostStatus.Dead)]
    [InlineData(HostStatus.Offline, false, false, false, null)]
    public void HostStatusAsTheMetricsSeeIt(HostStatus status, bool suspect, bool reconnecting, bool dead, ClusterHostStatus? expected) =>
        Assert.Equal(expected, HostStatusReporter.Of(status, suspect, reconnecting, dead));

    [Fact]
    public void ALiveHostIsSuspectOnceItsHeartbeatIsLaterThanHalfTheTimeout()
    {
        using var rig = new HostPartsRig(new DistributionOptions { HeartbeatTimeoutMs = 3000 });
        rig.Online("prontera");
        ClusterHostStatus? Status(bool playersSuspect = false) => HostStatusReporter.Of(rig.State.Status, rig.Host.IsLive, rig.Liveness,
            playersSuspect, rig.Options.HeartbeatTimeout, rig.Time.GetUtcNow());

        Assert.Equal(ClusterHostStatus.Online, Status());
        Assert.Equal(ClusterHostStatus.Suspect, Status(playersSuspect: true));
        rig.Time.Advance(TimeSpan.FromMilliseconds(1500)); // half the timeout: not late yet
        Assert.Equal(ClusterHostStatus.Online, Status());
        rig.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(ClusterHostStatus.Suspect, Status());
        rig.Failover.Heard(rig.Time.GetUtcNow()); // as a heartbeat does
        Assert.Equal(ClusterHostStatus.Online, Status());
    }

    [Fact]
    public void MapStateAsTheMetricsSeeIt()
    {
        var p2p = new MapAssignment("m", "h", HostKind.P2P, "127.0.0.1:1", 1, DateTimeOffset.UnixEpoch);
        var vps = p2p with { HostKind = HostKind.Vps };
        Assert.Equal(ClusterMapState.Disabled, MapStateReporter.Of(MapStatus.Disabled, null, null));
        Assert.Equal(ClusterMapState.Unassigned, MapStateReporter.Of(MapStatus.Unassigned, null, null));
        Assert.Equal(ClusterMapState.Starting, MapStateReporter.Of(MapStatus.Assigned, p2p, null));
        Assert.Equal(ClusterMapState.Starting, MapStateReporter.Of(MapStatus.Assigned, vps, MapInstanceState.Stopped));
        Assert.Equal(ClusterMapState.P2P, MapStateReporter.Of(MapStatus.Assigned, p2p, MapInstanceState.Running));
        Assert.Equal(ClusterMapState.Vps, MapStateReporter.Of(MapStatus.Assigned, vps, MapInstanceState.Running));
    }

    [Fact]
    public void SlidingCountForgetsWhatLeftTheWindow()
    {
        var t0 = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var count = new SlidingCount(TimeSpan.FromSeconds(60));
        count.Add(t0, 2);
        count.Add(t0.AddMilliseconds(500));
        count.Add(t0.AddSeconds(30), 4);
        count.Add(t0.AddSeconds(29)); // a clock step back lands in the newest bucket
        Assert.Equal(8, count.Count(t0.AddSeconds(60)));
        Assert.Equal(5, count.Count(t0.AddSeconds(61)));
        Assert.Equal(0, count.Count(t0.AddSeconds(91)));
        count.Add(t0.AddSeconds(100));
        Assert.Equal(1, count.Count(t0.AddSeconds(100)));
    }
}
