using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>A host's instance reports on their way to map grains (<see cref="HostInstances"/>), on a hand-moved clock.</summary>
public sealed class HostInstancesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AHeldMapTheHostDoesNotRunIsOrderedAgainAndItsMapGrainHearsStoppedOnce()
    {
        var (instances, ledger, told, time) = Build();
        ledger.Add("prontera", 3, 100);

        var reply = instances.Heartbeat([], time.GetUtcNow());
        Assert.Equal([new MapOrder("prontera", 3, 100)], reply.Assign);
        Assert.Equal([("prontera", MapInstanceState.Stopped)], told);

        instances.Heartbeat([], time.GetUtcNow()); // heard Stopped already: not told again before it is due for a resend
        Assert.Single(told);

        instances.Record("prontera", 3, MapInstanceState.Running, 6900);
        Assert.Equal(("prontera", MapInstanceState.Running), told.Last());
        Assert.Equal(HeartbeatReply.Empty, instances.Heartbeat([new MapInstanceReport("prontera", 3, MapInstanceState.Running, 4)], time.GetUtcNow()));
    }

    [Fact]
    public void AFreshSessionIsAskedToReportItsInstancesAgain()
    {
        var (instances, ledger, _, time) = Build();
        ledger.Add("prontera", 3, 100);
        instances.Record("prontera", 3, MapInstanceState.Running, 6900);
        var running = new MapInstanceReport("prontera", 3, MapInstanceState.Running, 4);
        Assert.Equal(HeartbeatReply.Empty, instances.Heartbeat([running], time.GetUtcNow()));

        instances.Reconnected(); // what the host queued meanwhile was never sent

        Assert.Equal([new MapOrder("prontera", 3, 100)], instances.Heartbeat([running], time.GetUtcNow()).Assign);
    }

    private static (HostInstances, EpochLedger, List<(string, MapInstanceState)>, TimeProvider) Build()
    {
        var state = new HostState();
        var ledger = new EpochLedger(() => state);
        var told = new List<(string, MapInstanceState)>();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var outbox = new InstanceStateOutbox("host-i", T0.UtcTicks, (map, report) =>
        {
            told.Add((map, report.State));
            return Task.CompletedTask;
        }, time, new RecordingLogger());
        return (new HostInstances(ledger, () => state, outbox), ledger, told, time);
    }
}
