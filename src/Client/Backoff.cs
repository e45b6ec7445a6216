namespace P2PCluster.Client;

/// <summary>
/// Reconnect delays under a ceiling that starts at <paramref name="initial"/> and doubles per attempt up to
/// <paramref name="max"/>; each delay is drawn uniformly between zero and the ceiling ("full jitter"). When a silo dies,
/// all its hosts lose it at the same instant: with ±20 % around the ceiling they stayed in waves (every host's fifth
/// attempt fell within a second or two of 7.75 s), so each wave met a full handshake queue, most of it got ServerBusy
/// and waited the next, doubled delay; drawn from the whole range, the attempts spread out after a few steps and
/// arrive about as fast as the gateway admits them.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private TimeSpan _ceiling;

    public TimeSpan Next()
    {
        var ceiling = _ceiling == TimeSpan.Zero ? initial : _ceiling;
        _ceiling = TimeSpan.FromTicks(Math.Min(ceiling.Ticks * 2, max.Ticks));
        return ceiling * _random.NextDouble();
    }

    public void Reset() => _ceiling = TimeSpan.Zero;
}
