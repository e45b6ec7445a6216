using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// The placement score (docs/placement.md): weighted headroom on capacity, cpu, memory and network against the
/// host's own limits, plus its reliability record. Pure and allocation-light: the directory runs it per candidate.
/// </summary>
public static class PlacementScorer
{
    public const double CapacityWeight = 0.20, CpuWeight = 0.20, MemoryWeight = 0.15, NetworkWeight = 0.10, LatencyWeight = 0.10, ReliabilityWeight = 0.25;

    /// <summary>A player round trip this long or longer scores no latency headroom at all.</summary>
    public const double MaxLatencyMs = 250;

    /// <summary>Whether the host may take <paramref name="policy"/>'s map at all (before scoring).</summary>
    public static bool IsEligible(HostCandidate host, MapPolicy policy) => HasRoom(host) && policy.Allows(host.Kind);

    /// <summary>Whether the host takes another map under any policy that allows its kind: accepting, with a free map slot and player room.</summary>
    public static bool HasRoom(HostCandidate host) =>
        host.Accepting && host.Maps < host.Capacity.MaxMaps && host.Load.Players < host.Capacity.MaxPlayers;

    public static double Score(HostCandidate host) => Components(host).Total;

    public static ScoreBreakdown Components(HostCandidate host)
    {
        var c = host.Capacity;
        var l = host.Load;
        double capacity = Math.Min(Headroom(host.Maps, c.MaxMaps), Headroom(l.Players, c.MaxPlayers));
        double cpu = Headroom(l.CpuPercent, c.CpuLimitPercent);
        double memory = Headroom(l.MemoryPercent, c.MemoryLimitPercent);
        double network = Headroom(l.NetworkMbps, c.NetworkLimitMbps);
        double reliability = Math.Clamp(host.Reliability, 0, 1);
        // Players' reported round trips to the host; none yet (negative) is neutral, like a new host's reliability.
        double latency = host.LatencyMs < 0 ? 0.5 : Headroom(host.LatencyMs, MaxLatencyMs);
        double total = 100 * (CapacityWeight * capacity + CpuWeight * cpu + MemoryWeight * memory + NetworkWeight * network
            + LatencyWeight * latency + ReliabilityWeight * reliability);
        return new ScoreBreakdown(capacity, cpu, memory, network, reliability, Math.Round(total, 2), latency);
    }

    /// <summary>Whether a host's load exceeds any of its limits.</summary>
    public static bool IsOverloaded(HostLoad load, HostCapacity capacity, double margin = 0) =>
        load.CpuPercent > capacity.CpuLimitPercent - margin
        || load.MemoryPercent > capacity.MemoryLimitPercent - margin
        || load.NetworkMbps > capacity.NetworkLimitMbps - margin * capacity.NetworkLimitMbps / 100;

    /// <summary>
    /// A host's reliability in [0, 1]: the share of its sessions that ended cleanly, discounted while it has less
    /// than an hour of history (a new host is neither trusted nor shunned: it starts at 0.5).
    /// </summary>
    public static double Reliability(HostReliability record, TimeSpan currentUptime)
    {
        double hours = (record.TotalUptime + currentUptime).TotalHours;
        double confidence = Math.Min(1, hours);
        return 0.5 * (1 - confidence) + record.CleanRatio() * confidence;
    }

    private static double Headroom(double used, double limit) => limit <= 0 ? 0 : Math.Clamp(1 - used / limit, 0, 1);
}
