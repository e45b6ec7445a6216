namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// One process's counts for <see cref="IClusterStateGrain"/> since its last report: grains (and the gateway) add to it
/// on their hot paths without any call, and a reporter drains it every <c>monitoring.metrics_interval</c> ms. A report
/// that fails is merged back, so nothing counted is lost to a failed call. Thread-safe.
/// </summary>
public sealed class ClusterTallies
{
    private readonly Lock _lock = new();
    private Dictionary<string, int> _failovers = new(StringComparer.Ordinal);
    private Dictionary<string, int> _refusedWrites = new(StringComparer.Ordinal);
    private int _ticketRefusals;

    /// <summary>Most distinct hosts kept between two reports: a flood of host ids cannot grow the process without bound.</summary>
    public const int MaxHosts = 10_000;

    /// <summary><paramref name="count"/> maps moved off a host for <paramref name="cause"/> (a <c>cause</c> label value).</summary>
    public void CountFailovers(string cause, int count = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(cause);
        if (count <= 0) return;
        lock (_lock) _failovers[cause] = _failovers.GetValueOrDefault(cause) + count;
    }

    /// <summary>The database proxy refused a write of <paramref name="hostId"/>.</summary>
    public void CountRefusedWrite(string hostId)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        lock (_lock)
        {
            if (_refusedWrites.Count >= MaxHosts && !_refusedWrites.ContainsKey(hostId)) return;
            _refusedWrites[hostId] = _refusedWrites.GetValueOrDefault(hostId) + 1;
        }
    }

    /// <summary>A ticket claim was refused.</summary>
    public void CountTicketRefusal()
    {
        lock (_lock) _ticketRefusals++;
    }

    /// <summary>Takes everything counted so far (an empty tally when nothing was) and starts again from zero.</summary>
    public ClusterTally Drain(DateTimeOffset at)
    {
        lock (_lock)
        {
            var tally = new ClusterTally(at, _failovers, _refusedWrites, _ticketRefusals);
            _failovers = new(StringComparer.Ordinal);
            _refusedWrites = new(StringComparer.Ordinal);
            _ticketRefusals = 0;
            return tally;
        }
    }

    /// <summary>Puts back a drained tally whose report failed; it goes out with the next one.</summary>
    public void Restore(ClusterTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        foreach (var (cause, count) in tally.Failovers) CountFailovers(cause, count);
        lock (_lock)
        {
            foreach (var (host, count) in tally.RefusedWrites)
                if (_refusedWrites.Count < MaxHosts || _refusedWrites.ContainsKey(host))
                    _refusedWrites[host] = _refusedWrites.GetValueOrDefault(host) + count;
            _ticketRefusals += tally.TicketRefusals;
        }
    }
}
