using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// In-memory placement over all live hosts, indexed by score (<see cref="HostIndex"/>), and operators' host list
/// (<see cref="HostListing"/>); see <see cref="IHostDirectoryGrain"/>. The P2P pause of an emergency failover is read
/// from <see cref="INetworkControlGrain"/> on activation and pushed by it on every change, so placement checks a field.
/// </summary>
public sealed partial class HostDirectoryGrain(TimeProvider time, ILogger<HostDirectoryGrain> logger) : Grain, IHostDirectoryGrain
{
    private readonly HostIndex _hosts = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly PlacementLog _log = new();
    private HostListing? _listing;
    private bool _p2pPaused;
    private IGrainTimer? _pauseRetry;

    private HostListing Listing => _listing ??= new HostListing(_hosts, time);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!await ReadPauseAsync())
        {
            // Not known yet: retried until it answers; meanwhile the control grain's own push (on any change) wins.
            _pauseRetry = this.RegisterGrainTimer(async _ =>
            {
                if (await ReadPauseAsync()) _pauseRetry?.Dispose();
            }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)));
        }
        await base.OnActivateAsync(cancellationToken);
    }

    private async Task<bool> ReadPauseAsync()
    {
        try
        {
            _p2pPaused = (await GrainFactory.GetGrain<INetworkControlGrain>(0).GetAsync()).P2PPaused;
            return true;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
        {
            LogPauseUnknown(logger, e.GetType().Name);
            return false;
        }
    }

    public Task UpsertAsync(HostCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var previous = _hosts.Upsert(candidate);
        Listing.Upserted(candidate, previous);
        // A host that starts accepting, or has room again (a map moved off it), may be what a waiting map needs.
        if (_waiting.Count > 0 && PlacementScorer.HasRoom(candidate) && !(previous is not null && PlacementScorer.HasRoom(previous))) WakeWaiting();
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string hostId)
    {
        if (_hosts.TryGet(hostId, out var host, out _))
        {
            _hosts.Remove(hostId);
            Listing.Left(host with { Status = host.Status == HostStatus.Banned ? HostStatus.Banned : HostStatus.Offline });
        }
        return Task.CompletedTask;
    }

    public Task LeftAsync(HostCandidate host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _hosts.Remove(host.HostId);
        Listing.Left(host);
        return Task.CompletedTask;
    }

    public Task<PlacementDecision?> PlaceAsync(string map, MapPolicy policy, string? excludeHost, string reason)
    {
        // P2P first (the point of the system); VPS for critical maps and whatever no P2P host qualifies for. The index
        // counts the map against the chosen host at once, so a burst of placements spreads before the next refresh.
        if (_hosts.Place(policy, excludeHost, _p2pPaused) is not { } choice)
        {
            _waiting.Add(map);
            return Task.FromResult<PlacementDecision?>(null);
        }
        _waiting.Remove(map);
        var host = choice.Host;
        var decision = new PlacementDecision(host.HostId, host.Kind, host.Endpoint, choice.Score, choice.Eligible, reason, time.GetUtcNow(),
            choice.Considered);
        return Task.FromResult<PlacementDecision?>(decision);
    }

    public Task<PlacementDecision?> ReplaceAsync(string map, MapPolicy policy, string fromHost, bool mayStay, string reason)
    {
        _hosts.Give(fromHost);
        return PlaceAsync(map, policy, mayStay ? null : fromHost, reason);
    }

    public Task<PlacementDecision> PlaceOnAsync(string map, MapPolicy policy, string hostId, string? fromHost, string reason)
    {
        if (!_hosts.TryGet(hostId, out var host, out var score))
            throw new ClusterException(ClusterError.InvalidArgument, $"to: host {hostId} is not online");
        string? refused =
            host.Status == HostStatus.Draining ? $"host {hostId} is draining"
            : !policy.Allows(host.Kind) ? (policy.Critical ? $"map {map} is critical: VPS hosts only" : $"map {map}'s policy does not allow P2P hosts")
            : host.Kind == HostKind.P2P && _p2pPaused ? "P2P placement is paused (emergency failover); resume first"
            : host.Kind == HostKind.P2P && !(score.Total >= policy.MinScore) ? $"host {hostId} scores {score.Total:0.##}, below map {map}'s min_score {policy.MinScore:0.##}"
            : !host.Accepting ? $"host {hostId} takes no maps now (overloaded, or players reported it unreachable)"
            : !PlacementScorer.HasRoom(host) ? $"host {hostId} is full ({host.Maps}/{host.Capacity.MaxMaps} maps, {host.Load.Players}/{host.Capacity.MaxPlayers} players)"
            : null;
        if (refused is not null)
        {
            var code = host.Status == HostStatus.Draining || !host.Accepting || !PlacementScorer.HasRoom(host) ? ClusterError.InvalidArgument : ClusterError.PolicyViolation;
            throw new ClusterException(code, $"to: {refused}");
        }
        var considered = _hosts.Considered(policy, excludeHost: null, _p2pPaused, chosen: hostId)
            .Select(c => c.HostId == hostId || c.Refused is null ? c : c with { Refused = $"the operator chose {hostId}" })
            .ToList();
        if (!considered.Any(c => c.HostId == hostId)) considered.Insert(0, new CandidateScore(hostId, host.Kind, score, null));
        var decision = new PlacementDecision(host.HostId, host.Kind, host.Endpoint, score, _hosts.CountEligible(policy, null, _p2pPaused),
            reason, time.GetUtcNow(), considered);
        _hosts.Take(hostId);
        if (fromHost is not null) _hosts.Give(fromHost);
        _waiting.Remove(map);
        return Task.FromResult(decision);
    }

    public Task SetP2PPausedAsync(bool paused)
    {
        bool resumed = _p2pPaused && !paused;
        _p2pPaused = paused;
        _pauseRetry?.Dispose();
        _pauseRetry = null;
        if (resumed && _waiting.Count > 0) WakeWaiting();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HostCandidate>> ListAsync() => Task.FromResult<IReadOnlyList<HostCandidate>>([.. _hosts.Candidates]);

    public Task<Immutable<HostSummary[]>> ViewAsync() => Task.FromResult(Listing.Snapshot().AsImmutable());

    public Task<HostSummary?> FindAsync(string hostId) => Task.FromResult(Listing.Find(hostId));

    public Task RecordAsync(PlacementRecord record)
    {
        _log.Add(record);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PlacementRecord>> RecentAsync(string hostId, int limit) =>
        Task.FromResult(_log.Recent(hostId, Math.Clamp(limit, 1, 100)));

    private void WakeWaiting()
    {
        foreach (string map in _waiting.ToList())
            GrainFactory.GetGrain<IMapGrain>(map).EnsurePlacedAsync("host available").Ignore();
    }

    [LoggerMessage(EventId = 2600, Level = LogLevel.Warning,
        Message = "Host directory: whether P2P placement is paused could not be read ({Error}); P2P allowed until it answers")]
    private static partial void LogPauseUnknown(ILogger logger, string error);
}
