using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>In-memory placement over all live hosts, indexed by score (<see cref="HostIndex"/>); see <see cref="IHostDirectoryGrain"/>.</summary>
public sealed class HostDirectoryGrain(TimeProvider time) : Grain, IHostDirectoryGrain
{
    private readonly HostIndex _hosts = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public Task UpsertAsync(HostCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        bool wasAccepting = _hosts.Upsert(candidate) is { Accepting: true };
        if (candidate.Accepting && !wasAccepting && _waiting.Count > 0) WakeWaiting();
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string hostId)
    {
        _hosts.Remove(hostId);
        return Task.CompletedTask;
    }

    public Task<PlacementDecision?> PlaceAsync(string map, MapPolicy policy, string? excludeHost, string reason)
    {
        // P2P first (the point of the system); VPS for critical maps and whatever no P2P host qualifies for. The index
        // counts the map against the chosen host at once, so a burst of placements spreads before the next refresh.
        if (_hosts.Place(policy, excludeHost) is not { } choice)
        {
            _waiting.Add(map);
            return Task.FromResult<PlacementDecision?>(null);
        }
        _waiting.Remove(map);
        var host = choice.Host;
        var decision = new PlacementDecision(host.HostId, host.Kind, host.Endpoint, choice.Score, choice.Eligible, reason, time.GetUtcNow());
        return Task.FromResult<PlacementDecision?>(decision);
    }

    public Task<IReadOnlyList<HostCandidate>> ListAsync() => Task.FromResult<IReadOnlyList<HostCandidate>>([.. _hosts.Candidates]);

    private void WakeWaiting()
    {
        foreach (string map in _waiting.ToList())
            GrainFactory.GetGrain<IMapGrain>(map).EnsurePlacedAsync("host available").Ignore();
    }
}
