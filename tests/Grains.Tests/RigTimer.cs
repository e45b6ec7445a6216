namespace P2PCluster.Grains.Tests;

/// <summary>
/// A grain timer stand-in for <see cref="HostPartsRig"/>: it ticks when a test calls <see cref="TickAsync"/>, and knows
/// on the rig's clock when it is due (<see cref="DueAt"/>), as a grain timer counts its due time from when it was armed.
/// </summary>
public sealed class RigTimer : IGrainTimer
{
    private readonly Func<Task> _tick;
    private readonly TimeProvider _time;

    public RigTimer(Func<Task> tick, TimeSpan due, TimeSpan period, TimeProvider time)
    {
        _tick = tick;
        _time = time;
        Change(due, period);
    }

    public TimeSpan Due { get; private set; }
    public TimeSpan Period { get; private set; }

    /// <summary>When it fires next on the rig's clock; null when it is not armed.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>How many times it ticked.</summary>
    public int Ticks { get; private set; }

    public Task TickAsync()
    {
        if (Disposed) return Task.CompletedTask;
        Ticks++;
        DueAt = Period == Timeout.InfiniteTimeSpan ? null : _time.GetUtcNow() + Period;
        return _tick();
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        (Due, Period) = (dueTime, period);
        DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _time.GetUtcNow() + dueTime;
    }

    public void Dispose() => Disposed = true;
}
