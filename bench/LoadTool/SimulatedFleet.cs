using System.Globalization;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>placement</c>'s hosts: 30 % VPS, 70 % P2P, each with its own limits, base load and reliability (so
/// scores differ), the true number of maps it runs (maps move as placements land), and its directory entry as its
/// host grain would refresh it: true map count, load jittered around its base, always accepting.
/// </summary>
/// <remarks>
/// Map caps are far above a real host_node.conf (P2P 500–2,000, VPS 2,000–8,000): between two refreshes the
/// directory counts every placement against its host, so at R decisions/s about 2·R placements are counted on top
/// of the true counts (with a 2 s refresh). With 1,000 hosts, 2.4 million slots keep the hosts from filling up at any rate this
/// machine reaches, and each placement still moves its host's capacity score.
/// </remarks>
public sealed class SimulatedFleet
{
    private readonly HostCandidate[] _hosts;
    private readonly int[] _maps;
    private readonly Dictionary<string, int> _byId;

    public SimulatedFleet(int hosts, int seed)
    {
        var random = new Random(seed);
        _hosts = new HostCandidate[hosts];
        _maps = new int[hosts];
        _byId = new Dictionary<string, int>(hosts, StringComparer.Ordinal);
        for (int i = 0; i < hosts; i++)
        {
            _hosts[i] = i % 10 < 3 ? Vps(i, random) : P2P(i, random);
            _byId.Add(_hosts[i].HostId, i);
        }
    }

    public int Count => _hosts.Length;

    public string HostId(int host) => _hosts[host].HostId;

    public HostKind Kind(int host) => _hosts[host].Kind;

    /// <summary>The host's index; -1 for an id the fleet does not have.</summary>
    public int IndexOf(string hostId) => _byId.GetValueOrDefault(hostId, -1);

    /// <summary>A map moved from one host to another (-1: none), as the map and host grains would record it.</summary>
    public void Move(int from, int to)
    {
        if (from == to) return;
        if (from >= 0) Interlocked.Decrement(ref _maps[from]);
        if (to >= 0) Interlocked.Increment(ref _maps[to]);
    }

    /// <summary>The entry the host's grain would upsert now: its true map count and its base load, jittered.</summary>
    public HostCandidate Entry(int host, Random random)
    {
        var h = _hosts[host];
        var c = h.Capacity;
        var load = new HostLoad(
            Math.Clamp(h.Load.CpuPercent + random.Next(-3, 4), 0, c.CpuLimitPercent),
            Math.Clamp(h.Load.MemoryPercent + random.Next(-1, 2), 0, c.MemoryLimitPercent),
            Math.Clamp(h.Load.NetworkMbps * (0.95 + random.NextDouble() * 0.1), 0, c.NetworkLimitMbps),
            h.Load.Players);
        return h with { Load = load, Maps = Volatile.Read(ref _maps[host]) };
    }

    private static HostCandidate P2P(int i, Random r)
    {
        var capacity = new HostCapacity(r.Next(500, 2001), r.Next(500, 2001), r.Next(50, 91), r.Next(60, 91), r.Next(20, 201));
        var load = new HostLoad(r.NextDouble() * 0.8 * capacity.CpuLimitPercent, 10 + r.NextDouble() * 0.6 * capacity.MemoryLimitPercent,
            r.NextDouble() * 0.8 * capacity.NetworkLimitMbps, r.Next(0, 101));
        return Host(i, HostKind.P2P, capacity, load, 0.3 + r.NextDouble() * 0.7);
    }

    private static HostCandidate Vps(int i, Random r)
    {
        var capacity = new HostCapacity(r.Next(2000, 8001), r.Next(2000, 5001), r.Next(80, 96), r.Next(85, 96), r.Next(500, 1001));
        var load = new HostLoad(5 + r.NextDouble() * 55, 10 + r.NextDouble() * 50, r.NextDouble() * 300, r.Next(0, 301));
        return Host(i, HostKind.Vps, capacity, load, 0.9 + r.NextDouble() * 0.1);
    }

    private static HostCandidate Host(int i, HostKind kind, HostCapacity capacity, HostLoad load, double reliability) =>
        new(string.Create(CultureInfo.InvariantCulture, $"bench-{(kind == HostKind.Vps ? "vps" : "p2p")}-{i:D5}"), kind,
            string.Create(CultureInfo.InvariantCulture, $"10.{i / 250 % 256}.{i % 250}.1:5121"), capacity, load, 0, reliability, Accepting: true);
}
