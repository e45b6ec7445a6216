using System.Diagnostics.Metrics;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Meter <c>P2PCluster.Cluster</c>: the <c>p2p_cluster_*</c> gauges, one per silo process, reporting only what the
/// cluster-state grain published here — so only the silo that hosts that grain reports them, and the cluster is
/// counted once however many silos are scraped. A grain that deactivates withdraws its numbers; numbers not
/// refreshed within their validity (a grain that stopped refreshing) are not reported either.
/// </summary>
public sealed class ClusterGauges
{
    public const string MeterName = "P2PCluster.Cluster";

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Published? _current;

    public ClusterGauges(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("p2p.cluster.hosts", ObserveHosts, "{host}", "Hosts by kind and status, counted once for the cluster");
        meter.CreateObservableGauge("p2p.cluster.maps", ObserveMaps, "{map}", "Configured maps by state, counted once for the cluster");
        meter.CreateObservableGauge("p2p.cluster.players_online", () => Observe(s => s.PlayersOnline), "{player}", "Players on a map, as their hosts report them");
        meter.CreateObservableGauge("p2p.cluster.silos_active", () => Observe(s => s.SilosActive), "{silo}", "Silos the membership table lists as active");
    }

    /// <summary>What the gauges report until <paramref name="validFor"/> has passed or <paramref name="owner"/> withdraws it.</summary>
    public void Publish(object owner, ClusterSnapshot snapshot, TimeSpan validFor)
    {
        lock (_lock) _current = new Published(owner, snapshot, _time.GetUtcNow() + validFor);
    }

    /// <summary>The gauges report nothing any more, unless another owner published since.</summary>
    public void Withdraw(object owner)
    {
        lock (_lock)
            if (_current is { } c && ReferenceEquals(c.Owner, owner)) _current = null;
    }

    /// <summary>The snapshot the gauges report now, if any.</summary>
    public ClusterSnapshot? Current
    {
        get
        {
            lock (_lock) return _current is { } c && _time.GetUtcNow() < c.ValidUntil ? c.Snapshot : null;
        }
    }

    private IEnumerable<Measurement<long>> ObserveHosts() =>
        Current?.Hosts.Select(h => new Measurement<long>(h.Count,
            new KeyValuePair<string, object?>("kind", MetricLabels.Of(h.Kind)), new KeyValuePair<string, object?>("status", MetricLabels.Of(h.Status)))) ?? [];

    private IEnumerable<Measurement<long>> ObserveMaps() =>
        Current?.Maps.Select(m => new Measurement<long>(m.Count, new KeyValuePair<string, object?>("state", MetricLabels.Of(m.State)))) ?? [];

    private IEnumerable<Measurement<long>> Observe(Func<ClusterSnapshot, int> value) =>
        Current is { } s ? [new Measurement<long>(value(s))] : [];

    private sealed record Published(object Owner, ClusterSnapshot Snapshot, DateTimeOffset ValidUntil);
}
