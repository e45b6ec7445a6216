using System.Diagnostics;
using P2PCluster.TestSupport;

namespace P2PCluster.Hosting.Tests;

/// <summary>The tests' one wait helper: returns as soon as the condition holds, fails past its deadline naming what it saw.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task ReturnsTheFirstValueThatHolds()
    {
        int reads = 0;
        int value = await Eventually.HoldsAsync(() => ++reads, n => n >= 3, "three reads", interval: TimeSpan.FromMilliseconds(1));
        Assert.Equal((3, 3), (value, reads));
    }

    [Fact]
    public async Task RunsTheStepBeforeEveryRead()
    {
        int clock = 0;
        await Eventually.HoldsAsync(() => clock, t => t == 5, "the clock at 5", interval: TimeSpan.FromMilliseconds(1), beforeRead: () => clock++);
        Assert.Equal(5, clock);
    }

    [Fact]
    public async Task FailsPastTheDeadlineWithWhatItSawLast()
    {
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.HoldsAsync(() => Task.FromResult("still starting"), s => s == "running", "the map running", TimeSpan.FromMilliseconds(200)));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        Assert.StartsWith("the map running: not within 0.2 s (", e.Message);
        Assert.EndsWith("last seen: still starting", e.Message);

        e = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(() => false, "never", TimeSpan.FromMilliseconds(50), seen: () => "3 of 4 hosts"));
        Assert.EndsWith("last seen: 3 of 4 hosts", e.Message);
    }

    [Fact]
    public async Task UntilHandsBackTheLastValueAndWhetherItHeld()
    {
        int reads = 0;
        Assert.Equal((2, true), await Eventually.UntilAsync(() => ++reads, n => n == 2, interval: TimeSpan.FromMilliseconds(1)));
        Assert.Equal(("still starting", false),
            await Eventually.UntilAsync(() => Task.FromResult("still starting"), s => s == "running", TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task SucceedsRetriesTheExceptionsItIsToldToUntilTheAttemptReturns()
    {
        int attempts = 0;
        int value = await Eventually.SucceedsAsync(() => ++attempts < 3 ? Task.FromException<int>(new TimeoutException("not yet")) : Task.FromResult(attempts),
            e => e is TimeoutException, "the third attempt", interval: TimeSpan.FromMilliseconds(1));
        Assert.Equal((3, 3), (value, attempts));

        // Any other exception ends the wait at once, unchanged.
        attempts = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.SucceedsAsync(() =>
        {
            attempts++;
            return Task.FromException(new InvalidOperationException("refused"));
        }, e => e is TimeoutException, "never retried", interval: TimeSpan.FromMilliseconds(1)));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task SucceedsFailsPastTheDeadlineWithTheLastException()
    {
        var last = new IOException("connection refused");
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.SucceedsAsync(() => Task.FromException(last), x => x is IOException, "the server answering", TimeSpan.FromMilliseconds(50)));
        Assert.StartsWith("the server answering: not within 0.05 s (", e.Message);
        Assert.EndsWith("last seen: IOException: connection refused", e.Message);
        Assert.Same(last, e.InnerException);
    }
}
