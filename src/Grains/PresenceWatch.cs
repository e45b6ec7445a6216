namespace P2PCluster.Grains;

/// <summary>
/// Whether a character on a map is still with its host, as a player session grain decides from a check every
/// <paramref name="period"/> (one ticket lifetime) that the host holds the map under the session's epoch. A host that
/// lost the map (deposed, declared dead) may never send PLAYER_LEFT: a player who did not come back through the map's
/// new host within another period has left (<see cref="PresenceVerdict.Gone"/>). The grain owns the timer and the call;
/// this part only decides.
/// </summary>
/// <remarks>
/// A check that starts much later than its period after the previous one ended means this silo stood still (SIGSTOP, a
/// hung VM): meanwhile the cluster has probably re-activated the session elsewhere, where the player may well have come
/// back, and this activation cannot know. The wait starts again from the wake-up rather than counting the freeze (the
/// host grain's watchdog follows the same rule: <see cref="HostLiveness.WokeFromFreeze"/>).
/// </remarks>
public sealed class PresenceWatch(TimeSpan period)
{
    /// <summary>How late a check may start before it blames a freeze of this silo: half the period, at most 2 s.</summary>
    public TimeSpan FreezeTolerance { get; } = period / 2 < TimeSpan.FromSeconds(2) ? period / 2 : TimeSpan.FromSeconds(2);

    private DateTimeOffset? _lostAt;
    private DateTimeOffset? _lastEnded;

    /// <summary>
    /// A check that started at <paramref name="started"/> found at <paramref name="now"/> whether the host still
    /// <paramref name="holds"/> the map under the session's epoch.
    /// </summary>
    public PresenceVerdict Checked(DateTimeOffset started, DateTimeOffset now, bool holds)
    {
        bool woke = _lastEnded is { } ended && started - ended > period + FreezeTolerance;
        _lastEnded = now;
        if (holds)
        {
            _lostAt = null;
            return PresenceVerdict.Present;
        }
        if (woke || _lostAt is null)
        {
            _lostAt = now;
            return woke ? PresenceVerdict.WokeFromFreeze : PresenceVerdict.Waiting;
        }
        return now - _lostAt >= period ? PresenceVerdict.Gone : PresenceVerdict.Waiting;
    }

    /// <summary>The character left its map (or the check stops): nothing is remembered.</summary>
    public void Reset() => (_lostAt, _lastEnded) = (null, null);
}

/// <summary>What a <see cref="PresenceWatch"/> check decided.</summary>
public enum PresenceVerdict
{
    /// <summary>The host holds the map under the session's epoch.</summary>
    Present,

    /// <summary>The host lost the map; the player has until a period after that was first seen to come back.</summary>
    Waiting,

    /// <summary>As <see cref="Waiting"/>, counted from now: this check woke from a freeze of this silo.</summary>
    WokeFromFreeze,

    /// <summary>The player did not come back within a period of the host losing the map: it has left.</summary>
    Gone,
}
