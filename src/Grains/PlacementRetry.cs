namespace P2PCluster.Grains;

/// <summary>
/// What a map grain's retry timer works on — an assignment its host has not heard of yet, whether the placement reminder
/// is registered — and its pace while the map has no host: <see cref="First"/>, doubling to the reminder period (a map
/// waiting long for a host costs one directory call per period).
/// A host arriving wakes waiting maps at once (the directory); the retries cover a wake-up or a placement that failed.
/// </summary>
public sealed class PlacementRetry
{
    /// <summary>The first retry's delay after the map was left without a host.</summary>
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    private TimeSpan _delay = TimeSpan.Zero;

    /// <summary>
    /// Whether the map is meant to have a host: something asked for a placement (the catalog, a lost host, an operator)
    /// or it had one before. A map only released, or never placed (activated by a player or operator naming it), is not.
    /// </summary>
    public bool Wanted { get; set; }

    /// <summary>An assignment whose host has not confirmed hearing of it yet (its grain failed); null when none.</summary>
    public Interfaces.MapAssignment? Untold { get; set; }

    /// <summary>Whether this activation registered the placement reminder (and has not removed it since).</summary>
    public bool ReminderSet { get; set; }

    /// <summary>The delay before the next retry: <see cref="First"/>, then twice the last, at most <paramref name="max"/>.</summary>
    public TimeSpan Next(TimeSpan max)
    {
        var next = _delay == TimeSpan.Zero ? First : _delay * 2;
        if (next > max) next = max;
        if (next < First) next = First;
        _delay = next;
        return next;
    }

    /// <summary>The map has a host: the next wait starts again at <see cref="First"/>.</summary>
    public void Reset() => _delay = TimeSpan.Zero;
}
