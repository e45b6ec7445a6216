namespace P2PCluster.Client;

/// <summary>Exponential reconnect delays: <paramref name="initial"/> doubling to <paramref name="max"/>, each ±20 % jitter so hosts do not reconnect in lockstep.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private TimeSpan _next;

    public TimeSpan Next()
    {
        var delay = _next == TimeSpan.Zero ? initial : _next;
        _next = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));
        return delay * (0.8 + 0.4 * _random.NextDouble());
    }

    public void Reset() => _next = TimeSpan.Zero;
}
