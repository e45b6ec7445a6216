using Microsoft.Extensions.Time.Testing;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>The host grain's outbox of lost maps on its own: backoff, what is retried, what is given up.</summary>
public sealed class HostLossOutboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _log = new();
    private readonly List<DateTimeOffset> _tries = [];
    private Exception? _failure = new TimeoutException("unreachable");

    private HostLossOutbox Outbox() => new("h1", _ =>
    {
        _tries.Add(_time.GetUtcNow());
        return _failure is null ? Task.CompletedTask : Task.FromException(_failure);
    }, _time, _log);

    private static readonly HostLoss Loss = new("prontera", 7, RevocationReason.Reassigned);

    /// <summary>Collects every 10 ms of fake time until <paramref name="until"/> has passed.</summary>
    private List<HostLoss> Run(HostLossOutbox outbox, TimeSpan until)
    {
        var answered = new List<HostLoss>();
        var end = _time.GetUtcNow() + until;
        while (_time.GetUtcNow() < end)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            if (outbox.Collect() is { } done) answered.AddRange(done);
        }
        return answered;
    }

    [Fact]
    public void RetriesBackOffFrom100MsDoublingTo2sAndADurableLossIsNeverGivenUp()
    {
        var outbox = Outbox();
        outbox.Send([Loss]);
        Assert.Single(_tries); // the first try leaves at once
        Assert.True(outbox.BackingOff);

        Assert.Empty(Run(outbox, TimeSpan.FromSeconds(70)));
        Assert.False(outbox.BackingOff); // every 2 s now: the host grain's timer slows down

        var gaps = _tries.Zip(_tries.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000], gaps.Take(7));
        Assert.All(gaps.Skip(5), g => Assert.Equal(2000, g));
        Assert.Equal(1, outbox.Count); // still being told after the 60 s budget
        Assert.Equal(1, _log.Count(2213)); // overdue: said once
        Assert.Equal(0, _log.Count(2211));
        Assert.True(_log.Count(2210) >= 5);

        _failure = null;
        var answered = Run(outbox, TimeSpan.FromSeconds(3));
        Assert.Equal([Loss], answered.Distinct());
        int tries = _tries.Count;
        outbox.Forget(answered);
        Assert.Equal(0, outbox.Count);
        Run(outbox, TimeSpan.FromSeconds(5));
        Assert.Equal(tries, _tries.Count); // forgotten: never sent again
    }

    [Fact]
    public void ALossNotPersistedIsGivenUpAfterTheBudget()
    {
        var outbox = Outbox();
        outbox.Send([Loss], durable: false);
        var answered = Run(outbox, TimeSpan.FromSeconds(63));
        Assert.Equal([Loss], answered.Distinct());
        Assert.Equal(1, _log.Count(2211));
    }

    [Fact]
    public void StoreUnavailableIsRetriedAndAnyOtherRefusalEndsIt()
    {
        _failure = new ClusterException(ClusterError.StoreUnavailable, "database down");
        var outbox = Outbox();
        outbox.Send([Loss]);
        Assert.Empty(Run(outbox, TimeSpan.FromSeconds(1)));
        Assert.True(_tries.Count > 1, "StoreUnavailable: the map grain did not record the move, so it is told again");

        _failure = new ClusterException(ClusterError.InvalidArgument, "refused");
        Assert.Equal([Loss], Run(outbox, TimeSpan.FromSeconds(3)).Distinct());
    }

    [Fact]
    public void ALossBeingToldIsNotSentTwice()
    {
        var outbox = Outbox();
        outbox.Send([Loss]);
        outbox.Send([Loss, Loss]);
        Assert.Single(_tries);
        Assert.Equal(1, outbox.Count);
    }
}
