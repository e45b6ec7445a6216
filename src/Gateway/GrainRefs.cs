namespace P2PCluster.Gateway;

/// <summary>
/// Grain references kept by key, at most <c>maxKept</c> of them, then all forgotten at once. Orleans' <c>GetGrain</c>
/// reads the interface's attributes and formats its type name on every call (docs/benchmarks.md, scenario heartbeats:
/// it cost more than the call itself), and a connection asks for the same few grains packet after packet: a host for
/// its players, a player for its character and the hosts it measures. Safe to use from concurrent requests.
/// </summary>
/// <remarks>
/// Forgetting all at once rather than the least recently used keeps a lookup a dictionary read; a reference is cheap
/// to make again, and a connection that outgrows the bound pays one <c>GetGrain</c> per key until it fills again.
/// </remarks>
public sealed class GrainRefs<TKey, TGrain>(int maxKept, Func<TKey, TGrain> resolve) where TKey : notnull
{
    private readonly Dictionary<TKey, TGrain> _kept = []; // guarded by itself

    /// <summary>How many references are kept now (at most the bound).</summary>
    public int Count
    {
        get
        {
            lock (_kept) return _kept.Count;
        }
    }

    /// <summary>The grain of <paramref name="key"/>: the kept reference, else a new one, kept.</summary>
    public TGrain Get(TKey key)
    {
        lock (_kept)
        {
            if (_kept.TryGetValue(key, out var grain)) return grain;
            if (_kept.Count >= maxKept) _kept.Clear();
            return _kept[key] = resolve(key);
        }
    }
}
