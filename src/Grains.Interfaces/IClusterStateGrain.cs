using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// The one place (key 0) that knows the whole cluster's state, so that it is counted once however many silos are
/// scraped. It refreshes its <see cref="ClusterSnapshot"/> every <c>monitoring.metrics_interval</c> ms; silos and
/// stand-alone gateways send it what they counted since their last report.
/// </summary>
[Alias("p2p.IClusterStateGrain")]
public interface IClusterStateGrain : IGrainWithIntegerKey
{
    /// <summary>The latest snapshot (refreshed first if it is older than one metrics interval).</summary>
    [Alias("GetSnapshotAsync")]
    Task<ClusterSnapshot> GetSnapshotAsync();

    /// <summary>Adds one process's counts since its previous report.</summary>
    [Alias("ReportAsync")]
    Task ReportAsync(ClusterTally tally);

    /// <summary>
    /// A host grain's status as the metrics see it changed (null: the host left cleanly and is no longer counted).
    /// A report older (<paramref name="at"/>) than the last one heard for the host is ignored. Never throws to the caller.
    /// </summary>
    [Alias("HostStatusAsync")]
    [Orleans.Concurrency.OneWay]
    Task HostStatusAsync(string hostId, HostKind kind, ClusterHostStatus? status, DateTimeOffset at);

    /// <summary>Every map the grain has heard of (configured maps and any map whose grain reported), for operators' map list.</summary>
    [Alias("MapNamesAsync")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<string>> MapNamesAsync();

    /// <summary>A map grain's state as the metrics see it changed; a report older than the last one heard is ignored.</summary>
    [Alias("MapStateAsync")]
    [Orleans.Concurrency.OneWay]
    Task MapStateAsync(string map, ClusterMapState state, DateTimeOffset at);
}

/// <summary>What one silo or gateway counted since its previous report to <see cref="IClusterStateGrain"/>.</summary>
/// <param name="Failovers">Map moves forced off a host, by cause (<c>dead</c>, <c>silent</c>, <c>overload</c>, <c>player_reports</c>, <c>operator</c>).</param>
/// <param name="RefusedWrites">Database-proxy writes refused, per host.</param>
/// <param name="TicketRefusals">Ticket claims refused.</param>
[GenerateSerializer, Immutable, Alias("p2p.ClusterTally.v1")]
public sealed record ClusterTally(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] IReadOnlyDictionary<string, int> Failovers,
    [property: Id(2)] IReadOnlyDictionary<string, int> RefusedWrites,
    [property: Id(3)] int TicketRefusals);
