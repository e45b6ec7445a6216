using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The placement rule written the plainest way, as the directory did it before the index: score every host, keep the
/// best (ties to the ordinal-smaller id), count the map against it. What <see cref="HostIndex"/> must agree with.
/// </summary>
public sealed class LinearPlacement
{
    private readonly Dictionary<string, HostCandidate> _hosts = new(StringComparer.Ordinal);

    public IEnumerable<HostCandidate> Candidates => _hosts.Values;

    public void Upsert(HostCandidate host) => _hosts[host.HostId] = host;

    public bool Remove(string hostId) => _hosts.Remove(hostId);

    public int CountEligible(MapPolicy policy, string? excludeHost) => _hosts.Values.Count(h => h.HostId != excludeHost && IsEligible(h, policy));

    public HostChoice? Place(MapPolicy policy, string? excludeHost)
    {
        if (Choose(policy, excludeHost) is not { } chosen) return null;
        var choice = new HostChoice(chosen, PlacementScorer.Components(chosen), CountEligible(policy, excludeHost));
        _hosts[chosen.HostId] = chosen with { Maps = chosen.Maps + 1 };
        return choice;
    }

    /// <summary>The host <see cref="Place"/> would choose, without counting a map against it.</summary>
    public HostCandidate? Choose(MapPolicy policy, string? excludeHost)
    {
        HostCandidate? bestP2P = null, bestVps = null;
        double p2pScore = double.MinValue, vpsScore = double.MinValue;
        foreach (var host in _hosts.Values)
        {
            if (host.HostId == excludeHost || !IsEligible(host, policy)) continue;
            double score = PlacementScorer.Score(host);
            if (host.Kind == HostKind.Vps)
            {
                if (Beats(score, host, vpsScore, bestVps)) (bestVps, vpsScore) = (host, score);
            }
            else if (score >= policy.MinScore && Beats(score, host, p2pScore, bestP2P))
            {
                (bestP2P, p2pScore) = (host, score);
            }
        }
        return bestP2P ?? bestVps;
    }

    private static bool IsEligible(HostCandidate h, MapPolicy policy) =>
        h.Accepting && policy.Allows(h.Kind) && h.Maps < h.Capacity.MaxMaps && h.Load.Players < h.Capacity.MaxPlayers;

    private static bool Beats(double score, HostCandidate host, double bestScore, HostCandidate? best) =>
        score > bestScore || (best is not null && score == bestScore && string.CompareOrdinal(host.HostId, best.HostId) < 0);
}
