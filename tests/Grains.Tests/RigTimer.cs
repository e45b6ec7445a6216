namespace P2PCluster.Grains.Tests;

/// <summary>A grain timer stand-in for <see cref="HostPartsRig"/>: it ticks when a test calls <see cref="TickAsync"/>.</summary>
public sealed class RigTimer(Func<Task> tick, TimeSpan due, TimeSpan period) : IGrainTimer
{
    public TimeSpan Due { get; private set; } = due;
    public TimeSpan Period { get; private set; } = period;
    public bool Disposed { get; private set; }

    public Task TickAsync() => Disposed ? Task.CompletedTask : tick();

    public void Change(TimeSpan dueTime, TimeSpan period) => (Due, Period) = (dueTime, period);

    public void Dispose() => Disposed = true;
}
