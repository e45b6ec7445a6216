using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// What others see of a host, as its grain knows it: the load and players per map of its last heartbeat (in memory,
/// never written), its entry in the host directory — refreshed on every change of status, else at most every
/// <paramref name="refresh"/> — and operators' <see cref="HostInfo"/>.
/// </summary>
public sealed class HostView(string hostId, TimeSpan refresh, OverloadTracker overload, PlayerReports players)
{
    private readonly Dictionary<string, int> _mapPlayers = new(StringComparer.Ordinal);
    private DateTimeOffset _published = DateTimeOffset.MinValue;

    public HostLoad Load { get; private set; } = HostLoad.Idle;

    public void Heard(HostHeartbeat heartbeat)
    {
        Load = heartbeat.Load;
        _mapPlayers.Clear();
        foreach (var report in heartbeat.Maps) if (report.Players > 0) _mapPlayers[report.Map] = report.Players;
    }

    /// <summary>Whether to refresh the directory entry at <paramref name="now"/>: always when <paramref name="force"/>d, else once per refresh period.</summary>
    public bool Due(DateTimeOffset now, bool force)
    {
        if (!force && now - _published < refresh) return false;
        _published = now;
        return true;
    }

    /// <summary>
    /// Refreshes the host's entry in <paramref name="directory"/> if it is due (<see cref="Due"/>): upserted while the host
    /// is listed, else marked as left, so operators still see it (<see cref="Entry"/>).
    /// </summary>
    public async Task PublishAsync(IHostDirectoryGrain directory, HostState s, bool isLive, DateTimeOffset now, bool force)
    {
        if (!Due(now, force)) return;
        var (entry, listed) = Entry(s, isLive, now);
        if (listed) await directory.UpsertAsync(entry);
        else await directory.LeftAsync(entry);
    }

    /// <summary>
    /// The directory entry of a host in <paramref name="s"/>. <c>Listed</c> is false for a host that is not live (or has
    /// no endpoint): its entry then says it left (idle, not accepting, offline unless banned), for operators' list.
    /// </summary>
    public (HostCandidate Entry, bool Listed) Entry(HostState s, bool isLive, DateTimeOffset now)
    {
        var uptime = s.OnlineSince is { } online ? now - online : TimeSpan.Zero;
        var candidate = new HostCandidate(hostId, s.Kind, s.Endpoint ?? "", s.Capacity, Load, s.Maps.Count,
            PlacementScorer.Reliability(s.Reliability, uptime), Accepting: s.Status == HostStatus.Online && !overload.Overloaded && !players.Suspect,
            LatencyMs: players.LatencyMs, Status: s.Status, Approved: s.Approved);
        if (!isLive || s.Endpoint is null)
            return (candidate with { Load = HostLoad.Idle, Accepting = false, Status = isLive ? HostStatus.Offline : s.Status }, false);
        return (candidate, true);
    }

    /// <summary>What operators see of the host; players per map only while it is live.</summary>
    public HostInfo Snapshot(HostState s, bool isLive) =>
        new(hostId, s.PublicKey?.ToArray(), s.Kind, s.Status, s.Endpoint,
            new Dictionary<string, long>(s.Maps, StringComparer.Ordinal), s.Reliability, s.OnlineSince,
            s.Approved, s.Draining, s.Capacity, isLive ? new Dictionary<string, int>(_mapPlayers, StringComparer.Ordinal) : null);
}
