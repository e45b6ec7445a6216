using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>A process's counts for the cluster state: drained each report, merged back when the report fails.</summary>
public sealed class ClusterTalliesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DrainTakesEverythingOnceAndAFailedReportIsMergedIntoTheNext()
    {
        var tallies = new ClusterTallies();
        tallies.CountFailovers("dead", 2);
        tallies.CountRefusedWrite("h1");
        tallies.CountTicketRefusal();

        var first = tallies.Drain(T0);
        Assert.Equal(2, first.Failovers["dead"]);
        Assert.Equal(1, first.RefusedWrites["h1"]);
        Assert.Equal(1, first.TicketRefusals);
        var empty = tallies.Drain(T0);
        Assert.Empty(empty.Failovers);
        Assert.Equal(0, empty.TicketRefusals);

        tallies.CountFailovers("dead");
        tallies.CountRefusedWrite("h1");
        tallies.Restore(first); // the report of `first` failed
        var merged = tallies.Drain(T0.AddSeconds(5));
        Assert.Equal(3, merged.Failovers["dead"]);
        Assert.Equal(2, merged.RefusedWrites["h1"]);
        Assert.Equal(1, merged.TicketRefusals);
    }

    [Fact]
    public void AFloodOfHostIdsIsBounded()
    {
        var tallies = new ClusterTallies();
        for (int i = 0; i < ClusterTallies.MaxHosts + 50; i++) tallies.CountRefusedWrite($"h{i}");
        tallies.CountRefusedWrite("h0"); // a known host still counts
        var tally = tallies.Drain(T0);
        Assert.Equal(ClusterTallies.MaxHosts, tally.RefusedWrites.Count);
        Assert.Equal(2, tally.RefusedWrites["h0"]);
    }

    [Fact]
    public async Task CountingFromManyThreadsLosesNothing()
    {
        var tallies = new ClusterTallies();
        int drained = 0;
        var counters = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++) tallies.CountTicketRefusal();
        })).ToArray();
        while (!counters.All(t => t.IsCompleted)) drained += tallies.Drain(T0).TicketRefusals;
        await Task.WhenAll(counters);
        drained += tallies.Drain(T0).TicketRefusals;
        Assert.Equal(40_000, drained);
    }
}
