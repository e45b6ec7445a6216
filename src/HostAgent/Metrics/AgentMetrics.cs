using System.Diagnostics.Metrics;
using P2PCluster.Client;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// The agent's instruments on the <c>P2PCluster.HostAgent</c> meter, all observable: the load it reports in its
/// heartbeats, its maps and players, and the totals of <see cref="AgentCounters"/> and <see cref="AdmissionMetrics"/>.
/// Read only when scraped, so nothing is added to the agent's own paths. Created only when <c>metrics.listen</c> is set
/// (p2p-demo's agents run in the silo's process, whose exporter would otherwise pick them up).
/// </summary>
public sealed class AgentMetrics
{
    public const string MeterName = "P2PCluster.HostAgent";

    public AgentMetrics(IMeterFactory meterFactory, MetricsSampler sampler, MapHost maps, AgentCounters counters, AdmissionMetrics admission)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("p2p.agent.cpu.utilization.ratio", () => sampler.Current.CpuPermille / 1000.0, "1",
            "Share of the machine's cpu in use, as the last heartbeat reported it (mean over the heartbeat interval)");
        meter.CreateObservableGauge("p2p.agent.memory.utilization.ratio", () => sampler.Current.MemoryPermille / 1000.0, "1",
            "Share of the machine's memory in use, as heartbeats report it");
        meter.CreateObservableGauge("p2p.agent.network.throughput", () => sampler.Current.NetworkKbps * 125.0, "By/s",
            "Bytes received plus sent per second on the counted interfaces, as heartbeats report it");
        meter.CreateObservableGauge("p2p.agent.maps.running", () => maps.Report().Count(m => m.State == MapRunState.Running), "{map}",
            "Map instances running now");
        meter.CreateObservableGauge("p2p.agent.players", () => maps.Report().Sum(m => m.Players), "{player}",
            "Players connected to this host's map instances now");
        meter.CreateObservableCounter("p2p.agent.reconnects", () => counters.Reconnects, "{connection}",
            "Times the agent dialled the coordinator again after a failed attempt or a dropped session");
        meter.CreateObservableCounter("p2p.agent.db_proxy.retries", () => counters.DbProxyRetries, "{request}",
            "Database-proxy requests sent again (connection dropped, or the proxy could not decide)");
        meter.CreateObservableCounter("p2p.agent.players.admitted", () => admission.Admitted, "{player}",
            "Players whose ticket this host verified and the coordinator confirmed");
        meter.CreateObservableCounter("p2p.agent.players.refused", () => admission.Refusals
                .Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("code", ErrorNames.Name(r.Key)))), "{player}",
            "Players this host turned away, by code (the error's name): its own ticket check, the coordinator's claim, a full map or a lapsed lease");
    }
}
