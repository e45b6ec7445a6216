using System.Diagnostics;

namespace P2PCluster.Gateway;

/// <summary>A per-connection token bucket: <c>rate</c> tokens a second, holding at most two seconds' worth. Single-threaded.</summary>
public struct TokenBucket(int ratePerSecond)
{
    private readonly double _capacity = 2.0 * ratePerSecond;
    private double _tokens = 2.0 * ratePerSecond;
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        long now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
