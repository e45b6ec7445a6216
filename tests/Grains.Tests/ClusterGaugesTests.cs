using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>The p2p_cluster_* gauges report only what the cluster-state grain published on this silo, and only while it is fresh.</summary>
public sealed class ClusterGaugesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static ClusterSnapshot Snapshot(int online) => new(T0,
        [new HostCount(HostKind.P2P, ClusterHostStatus.Online, online), new HostCount(HostKind.Vps, ClusterHostStatus.Dead, 1)],
        [new MapCount(ClusterMapState.P2P, 4), new MapCount(ClusterMapState.Unassigned, 1)], [], 12, 2, 0, [], 0, null);

    private static Dictionary<string, long> Observe(IMeterFactory factory)
    {
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClusterGauges.MeterName && instrument.Meter.Scope == factory) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string labels = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            seen[$"{instrument.Name}{{{labels}}}"] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    [Fact]
    public void OnlyAPublishedFreshSnapshotIsReportedAndItsOwnerWithdrawsIt()
    {
        var time = new FakeTimeProvider(T0);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var gauges = new ClusterGauges(factory, time);
        Assert.Empty(Observe(factory)); // a silo that does not host the grain reports nothing

        object activation = new(), otherActivation = new();
        gauges.Publish(activation, Snapshot(online: 3), TimeSpan.FromSeconds(10));
        var seen = Observe(factory);
        Assert.Equal(3, seen["p2p.cluster.hosts{kind=p2p,status=online}"]);
        Assert.Equal(1, seen["p2p.cluster.hosts{kind=vps,status=dead}"]);
        Assert.Equal(4, seen["p2p.cluster.maps{state=p2p}"]);
        Assert.Equal(1, seen["p2p.cluster.maps{state=unassigned}"]);
        Assert.Equal(12, seen["p2p.cluster.players_online{}"]);
        Assert.Equal(2, seen["p2p.cluster.silos_active{}"]);

        gauges.Withdraw(otherActivation); // not the publisher: nothing changes
        Assert.NotEmpty(Observe(factory));
        gauges.Withdraw(activation); // the grain deactivated here
        Assert.Empty(Observe(factory));

        gauges.Publish(activation, Snapshot(online: 5), TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(10)); // not refreshed in time: stale numbers are not repeated
        Assert.Empty(Observe(factory));
    }
}
