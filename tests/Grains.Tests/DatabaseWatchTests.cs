using Microsoft.Extensions.Time.Testing;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>The database probe runs off the grain and records since when the database has not answered.</summary>
public sealed class DatabaseWatchTests
{
    private sealed class Probe : IDatabaseProbe
    {
        public TaskCompletionSource Answer { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;

        public Task ProbeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Answer.Task.WaitAsync(cancellationToken);
        }
    }

    private static Task<DateTimeOffset?> WaitForAsync(DatabaseWatch watch, Func<DateTimeOffset?, bool> done) =>
        Eventually.HoldsAsync(() => watch.DownSince, done, "DownSince as expected", interval: TimeSpan.FromMilliseconds(10));

    [Fact]
    public async Task AProbeThatFailsOrHangsMarksTheDatabaseDownFromTheFirstFailureAndOneThatAnswersClearsIt()
    {
        var t0 = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(t0);
        var probe = new Probe();
        var watch = new DatabaseWatch(probe, time);

        watch.Start(TimeSpan.FromMilliseconds(100)); // hangs: times out
        watch.Start(TimeSpan.FromMilliseconds(100)); // one at a time: not started again while running
        Assert.Equal(t0, await WaitForAsync(watch, d => d is not null));
        Assert.Equal(1, probe.Calls);

        time.Advance(TimeSpan.FromSeconds(5));
        probe.Answer.SetException(new InvalidOperationException("refused"));
        watch.Start(TimeSpan.FromSeconds(5));
        // A probe starts only once the one before has ended (and recorded): a third call means the failed second one is in.
        await Eventually.TrueAsync(() => { watch.Start(TimeSpan.FromSeconds(5)); return probe.Calls >= 3; }, "the failed probe recorded",
            interval: TimeSpan.FromMilliseconds(10));
        Assert.Equal(t0, watch.DownSince); // still down since the first failure

        probe.Answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Answer.SetResult();
        await Eventually.HoldsAsync(() => { watch.Start(TimeSpan.FromSeconds(5)); return watch.DownSince; }, d => d is null,
            "an answering probe clears DownSince", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public void WithoutADatabaseItIsNeverDown()
    {
        var watch = new DatabaseWatch(null, TimeProvider.System);
        watch.Start(TimeSpan.FromSeconds(1));
        Assert.Null(watch.DownSince);
    }
}
