namespace P2PCluster.Grains;

/// <summary>
/// Delivers a host grain's recorded losses (<see cref="HostState.Losses"/>) through its <see cref="HostLossOutbox"/>
/// from a grain timer, and drops from the state those the map grains answered. The timer ticks every
/// <see cref="HostLossOutbox.FirstRetry"/> while a loss is in its quick retries, then every <see cref="SettledTick"/>:
/// a long outage of a map grain does not cost ten turns a second per host. Nothing here waits for a map grain.
/// </summary>
public sealed class HostLossDelivery(
    HostLossOutbox outbox, Func<HostState> state, Func<Task> write, Func<Func<Task>, TimeSpan, TimeSpan, IGrainTimer> timers)
{
    /// <summary>The timer's period once every loss waits <see cref="HostLossOutbox.MaxRetry"/> between tries.</summary>
    public static readonly TimeSpan SettledTick = TimeSpan.FromMilliseconds(500);

    private IGrainTimer? _timer;
    private TimeSpan _period;

    /// <summary>
    /// Starts telling the map grains of every recorded loss (and of <paramref name="transient"/>, not persisted: a
    /// player's report, who can report again). A map grain may be unreachable for as long as the cluster takes to
    /// re-form, and the host grain must answer heartbeats meanwhile: the timer retries and tidies up.
    /// </summary>
    public void Tell(IEnumerable<HostLoss>? transient = null)
    {
        outbox.Send(state().Losses);
        if (transient is not null) outbox.Send(transient, durable: false);
        if (outbox.Count > 0) Start();
    }

    /// <summary>Makes sure the timer runs (the losses were just recorded: should the first try fail, its tick retries).</summary>
    public void Start()
    {
        var period = outbox.BackingOff || _timer is null ? HostLossOutbox.FirstRetry : SettledTick;
        if (_timer is null) _timer = timers(TickAsync, period, period);
        else if (period != _period) _timer.Change(period, period);
        _period = period;
    }

    /// <summary>
    /// Sends recorded losses not sent yet, retries those due, and drops from the state those the map grains answered.
    /// A failed write keeps them (memory goes back to storage) and the next tick tries again; a resend after a restart
    /// is harmless (a map grain ignores a loss unless that host still holds that epoch there).
    /// </summary>
    private async Task TickAsync()
    {
        var losses = state().Losses;
        outbox.Send(losses);
        if (outbox.Collect() is { } answered)
        {
            var done = answered.ToHashSet();
            if (losses.RemoveAll(done.Contains) > 0) await write();
            outbox.Forget(answered);
        }
        if (outbox.Count > 0 || state().Losses.Count > 0)
        {
            Start();
            return;
        }
        _timer?.Dispose();
        _timer = null;
    }
}
