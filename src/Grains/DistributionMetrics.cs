using System.Diagnostics.Metrics;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// Meter <c>P2PCluster.Distribution</c>, counted in the grains where it happens (each silo exports its own part; a
/// sum over silos is the cluster's): <c>p2p_placements_total{kind}</c>, <c>p2p_failovers_total{cause}</c>,
/// <c>p2p_rebalances_total</c>. Failovers also go to this process's <see cref="ClusterTallies"/> for the alerts.
/// </summary>
public sealed class DistributionMetrics
{
    public const string MeterName = "P2PCluster.Distribution";

    private readonly Counter<long> _placements;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _rebalances;
    private readonly ClusterTallies _tallies;

    public DistributionMetrics(IMeterFactory meters, ClusterTallies tallies)
    {
        _tallies = tallies;
        var meter = meters.Create(MeterName);
        _placements = meter.CreateCounter<long>("p2p.placements", "{placement}", "Maps placed on a host (a new epoch), by the host's kind");
        _failovers = meter.CreateCounter<long>("p2p.failovers", "{map}", "Maps moved off a host that lost or gave them up, by cause");
        _rebalances = meter.CreateCounter<long>("p2p.rebalances", "{map}", "Maps shed by an overloaded host to be placed elsewhere");
        // Every series exists from the start at 0, so rate() and increase() see the first event.
        foreach (var kind in Enum.GetValues<HostKind>()) _placements.Add(0, new KeyValuePair<string, object?>("kind", MetricLabels.Of(kind)));
        foreach (var cause in Enum.GetValues<FailoverCause>()) _failovers.Add(0, new KeyValuePair<string, object?>("cause", MetricLabels.Of(cause)));
        _rebalances.Add(0);
    }

    /// <summary>A map was placed (a new epoch committed) on a host of <paramref name="kind"/>.</summary>
    public void Placed(HostKind kind) => _placements.Add(1, new KeyValuePair<string, object?>("kind", MetricLabels.Of(kind)));

    /// <summary><paramref name="maps"/> maps were moved off a host for <paramref name="cause"/>.</summary>
    public void FailedOver(FailoverCause cause, int maps)
    {
        if (maps <= 0) return;
        string label = MetricLabels.Of(cause);
        _failovers.Add(maps, new KeyValuePair<string, object?>("cause", label));
        _tallies.CountFailovers(label, maps);
    }

    /// <summary>An overloaded host shed a map.</summary>
    public void Rebalanced() => _rebalances.Add(1);
}
