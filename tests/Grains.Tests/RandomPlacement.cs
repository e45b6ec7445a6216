using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// Random hosts, policies and exclusions for the placement property tests. Values come from small sets so scores tie
/// often, hosts fill up, zero limits and NaN loads occur, and ids differ only in case (ordinal tie-breaking).
/// </summary>
public sealed class RandomPlacement(int seed, int hostIds)
{
    private static readonly double[] MinScores = [0, 0, 0, 20, 40, 55, 70, 100, 101, -5, double.NaN];
    private readonly Random _random = new(seed);

    public Random Random => _random;

    public string HostId() => Id(_random.Next(hostIds));

    public static string Id(int i) => (i % 3) switch { 0 => $"h{i}", 1 => $"H{i}", _ => $"h-{i}" };

    public HostCandidate Host(string? id = null)
    {
        var capacity = new HostCapacity(
            MaxMaps: Pick(0, 1, 2, 3, 5),
            MaxPlayers: Pick(0, 50, 100, 100),
            CpuLimitPercent: Pick(0, 50, 80, 80),
            MemoryLimitPercent: Pick(85, 85, 0),
            NetworkLimitMbps: Pick(100, 100, 10));
        var load = new HostLoad(
            CpuPercent: _random.Next(40) == 0 ? double.NaN : Pick(0.0, 10, 20, 40, 95),
            MemoryPercent: Pick(0.0, 20, 50),
            NetworkMbps: Pick(0.0, 5, 10, 200),
            Players: Pick(0, 0, 10, 60, 150));
        return new HostCandidate(id ?? HostId(), _random.Next(3) == 0 ? HostKind.Vps : HostKind.P2P, $"10.0.0.{_random.Next(1, 255)}:5121",
            capacity, load, Pick(0, 0, 1, 2, 4), Pick(0.0, 0.5, 0.75, 1, 1.5, -1), Accepting: _random.Next(6) != 0);
    }

    public MapPolicy Policy() => new(Critical: _random.Next(5) == 0, P2PAllowed: _random.Next(6) != 0, MaxPlayers: 100, MinScore: Pick(MinScores));

    /// <summary>Mostly none; else a known or unknown id, the empty string, or the host the reference would choose.</summary>
    public string? Exclude(Func<string?> best) => _random.Next(8) switch
    {
        0 or 1 => HostId(),
        2 => best(),
        3 => "",
        4 => "nobody",
        _ => null,
    };

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];
}
