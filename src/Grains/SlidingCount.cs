namespace P2PCluster.Grains;

/// <summary>
/// Events counted over a sliding window, in one-second buckets: memory grows with the seconds that saw events within
/// the window, never with the number of events.
/// </summary>
public sealed class SlidingCount(TimeSpan window)
{
    private readonly Queue<(long Second, int Count)> _buckets = new();
    private (long Second, int Count)? _last;
    private int _total;

    /// <summary>The window the count covers.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Counts <paramref name="count"/> events at <paramref name="at"/>.</summary>
    public void Add(DateTimeOffset at, int count = 1)
    {
        if (count <= 0) return;
        long second = at.ToUnixTimeSeconds();
        _total += count;
        if (_last is { } last && last.Second >= second)
        {
            _last = (last.Second, last.Count + count); // same second (or a clock step back): the newest bucket takes it
            return;
        }
        if (_last is { } previous) _buckets.Enqueue(previous);
        _last = (second, count);
    }

    /// <summary>Events within the window before <paramref name="now"/>.</summary>
    public int Count(DateTimeOffset now)
    {
        long oldest = (now - Window).ToUnixTimeSeconds();
        while (_buckets.TryPeek(out var bucket) && bucket.Second < oldest) _total -= _buckets.Dequeue().Count;
        if (_last is { } last && last.Second < oldest)
        {
            _total -= last.Count;
            _last = null;
        }
        return _total;
    }
}
