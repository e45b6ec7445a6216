namespace P2PCluster.Grains.Tests;

/// <summary>
/// A player session's check that its character's host still holds the map (<see cref="PresenceWatch"/>), on hand-made
/// instants: checks every ticket lifetime (60 s here), each taking a moment.
/// </summary>
public sealed class PresenceWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(60), Call = TimeSpan.FromMilliseconds(5);
    private readonly PresenceWatch _watch = new(Period);

    /// <summary>The check that starts at <paramref name="at"/> (after T0) and takes <see cref="Call"/>.</summary>
    private PresenceVerdict Check(TimeSpan at, bool holds) => _watch.Checked(T0 + at, T0 + at + Call, holds);

    [Fact]
    public void APlayerWhoseHostLostTheMapHasLeftOnceAWholePeriodPassedWithoutItComingBack()
    {
        Assert.Equal(PresenceVerdict.Present, Check(Period, holds: true));
        Assert.Equal(PresenceVerdict.Waiting, Check(2 * Period, holds: false)); // first seen lost
        Assert.Equal(PresenceVerdict.Gone, Check(3 * Period, holds: false));
    }

    [Fact]
    public void APlayerWhoCameBackStartsAfresh()
    {
        Assert.Equal(PresenceVerdict.Waiting, Check(Period, holds: false));
        Assert.Equal(PresenceVerdict.Present, Check(2 * Period, holds: true));
        Assert.Equal(PresenceVerdict.Waiting, Check(3 * Period, holds: false));
        Assert.Equal(PresenceVerdict.Gone, Check(4 * Period, holds: false));
    }

    [Fact]
    public void ACheckThatWokeFromAFreezeOfItsSiloGivesThePlayerAFreshPeriod()
    {
        Assert.Equal(PresenceVerdict.Waiting, Check(Period, holds: false));
        // SIGSTOP for 30 s over the next check's due time: it runs at the wake-up, 30 s late. Meanwhile the session may
        // live on another silo, where the player came back; this activation cannot know.
        Assert.Equal(PresenceVerdict.WokeFromFreeze, Check(2 * Period + TimeSpan.FromSeconds(30), holds: false));
        Assert.Equal(PresenceVerdict.Waiting, Check(3 * Period, holds: false)); // 30 s after the wake-up: not yet
        Assert.Equal(PresenceVerdict.Gone, Check(4 * Period, holds: false));
    }

    [Fact]
    public void ACheckLateByLessThanTheToleranceIsNoFreeze()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), _watch.FreezeTolerance); // half the period, at most 2 s
        Assert.Equal(PresenceVerdict.Waiting, Check(Period, holds: false));
        Assert.Equal(PresenceVerdict.Gone, Check(2 * Period + TimeSpan.FromSeconds(1.9), holds: false));
    }

    [Fact]
    public void ASlowCallIsNoFreeze()
    {
        // The timer waits a period after a check ends: the next one starts a period after the slow call's answer.
        Assert.Equal(PresenceVerdict.Waiting, _watch.Checked(T0, T0 + TimeSpan.FromSeconds(30), holds: false));
        Assert.Equal(PresenceVerdict.Gone, _watch.Checked(T0 + TimeSpan.FromSeconds(90), T0 + TimeSpan.FromSeconds(90) + Call, holds: false));
    }

    [Fact]
    public void AResetForgetsTheLossAndTheLastCheck()
    {
        Assert.Equal(PresenceVerdict.Waiting, Check(Period, holds: false));
        _watch.Reset();
        Assert.Equal(PresenceVerdict.Waiting, Check(10 * Period, holds: false)); // no lateness without a previous check
        Assert.Equal(PresenceVerdict.Gone, Check(11 * Period, holds: false));
    }
}
