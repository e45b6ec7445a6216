namespace P2PCluster.Grains;

/// <summary>
/// What a host grain activation knows about its own history: whether it began without having heard from its host (after
/// the silo that held it died) and so owes the host a grace, whether the host registered with this activation, and
/// whether the watchdog's last tick is so long ago that this silo itself must have been frozen.
/// </summary>
internal sealed class FailoverGrace
{
    private DateTimeOffset _until = DateTimeOffset.MinValue;
    private DateTimeOffset _lastTick = DateTimeOffset.MinValue;

    /// <summary>True once the host has registered (CONNECT) with this activation.</summary>
    public bool Registered { get; private set; }

    /// <summary>The activation starts with a host it has not heard from: it is not declared dead before <paramref name="grace"/> is over.</summary>
    public void Begin(DateTimeOffset now, TimeSpan grace) => _until = now + grace;

    /// <summary>The host was heard from: from now on the ordinary heartbeat timeout applies.</summary>
    public void Heard(bool registered)
    {
        _until = DateTimeOffset.MinValue;
        Registered |= registered;
    }

    public bool Covers(DateTimeOffset now) => now < _until;

    /// <summary>
    /// Records a watchdog tick; true when the previous one was more than three periods ago (timers here fire a period
    /// apart, so such a gap means the whole process stood still).
    /// </summary>
    public bool WokeFromFreeze(DateTimeOffset now, TimeSpan period)
    {
        bool frozen = _lastTick != DateTimeOffset.MinValue && now - _lastTick > 3 * period;
        _lastTick = now;
        return frozen;
    }
}
