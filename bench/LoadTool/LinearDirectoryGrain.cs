using P2PCluster.Grains;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// The directory's decision as it was before <see cref="HostIndex"/> (commit b494d1f), its decision kept verbatim, as the baseline
/// of scenario <c>placement</c>: scan every candidate, score each eligible one, keep the best P2P and the best VPS.
/// </summary>
public sealed class LinearDirectoryGrain(TimeProvider time) : Grain, ILinearDirectoryGrain
{
    private readonly Dictionary<string, HostCandidate> _hosts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public Task UpsertAsync(HostCandidate candidate)
    {
        bool wasAccepting = _hosts.TryGetValue(candidate.HostId, out var previous) && previous.Accepting;
        _hosts[candidate.HostId] = candidate;
        if (candidate.Accepting && !wasAccepting && _waiting.Count > 0) WakeWaiting();
        return Task.CompletedTask;
    }

    public Task<PlacementDecision?> PlaceAsync(string map, MapPolicy policy, string? excludeHost, string reason)
    {
        HostCandidate? bestP2P = null, bestVps = null;
        double p2pScore = double.MinValue, vpsScore = double.MinValue;
        int eligible = 0;
        foreach (var host in _hosts.Values)
        {
            if (host.HostId == excludeHost || !PlacementScorer.IsEligible(host, policy)) continue;
            eligible++;
            double score = PlacementScorer.Score(host);
            if (host.Kind == HostKind.Vps)
            {
                if (score > vpsScore) (bestVps, vpsScore) = (host, score);
            }
            else if (score >= policy.MinScore && score > p2pScore)
            {
                (bestP2P, p2pScore) = (host, score);
            }
        }

        var chosen = bestP2P ?? bestVps;
        if (chosen is null)
        {
            _waiting.Add(map);
            return Task.FromResult<PlacementDecision?>(null);
        }
        _waiting.Remove(map);
        _hosts[chosen.HostId] = chosen with { Maps = chosen.Maps + 1 };
        var decision = new PlacementDecision(chosen.HostId, chosen.Kind, chosen.Endpoint, PlacementScorer.Components(chosen), eligible,
            reason, time.GetUtcNow());
        return Task.FromResult<PlacementDecision?>(decision);
    }

    private void WakeWaiting()
    {
        foreach (string map in _waiting.ToList())
            GrainFactory.GetGrain<IMapGrain>(map).EnsurePlacedAsync("host available").Ignore();
    }
}
