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
    private Task _refresh = Task.CompletedTask; // the last periodic refresh, which no turn waits for
    private bool _listed; // the last entry sent and answered listed the host

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
    /// <remarks>
    /// A periodic refresh of an entry already listed (new load, nothing <paramref name="force"/>d) is not waited for:
    /// the heartbeat that carries it answers at once instead of queueing behind the one directory grain every host
    /// refreshes (at 10,000 hosts, 5,000 refreshes a second; each waiting heartbeat held its whole chain of calls
    /// suspended: docs/benchmarks.md, heartbeats). One is in flight at a time; a failed one is replaced by the next.
    /// A change (forced) is sent only after the refresh sent before it has been answered, so a refresh never overtakes
    /// it: a stale entry cannot relist a host that left or undo a new status.
    /// </remarks>
    public Task PublishAsync(IHostDirectoryGrain directory, HostState s, bool isLive, DateTimeOffset now, bool force)
    {
        if (!Due(now, force)) return Task.CompletedTask;
        var (entry, listed) = Entry(s, isLive, now);
        if (!force && listed && _listed)
        {
            if (_refresh.IsCompleted) _refresh = Unobserved(directory.UpsertAsync(entry));
            return Task.CompletedTask;
        }
        return SendAsync(directory, entry, listed);
    }

    private async Task SendAsync(IHostDirectoryGrain directory, HostCandidate entry, bool listed)
    {
        await _refresh;
        if (listed) await directory.UpsertAsync(entry);
        else await directory.LeftAsync(entry);
        _listed = listed;
    }

    /// <summary>A refresh nobody waits for: its failure is dropped (the next refresh sends the entry again).</summary>
    private static async Task Unobserved(Task call)
    {
        try
        {
            await call.ConfigureAwait(false); // nothing after it touches the grain: no need to come back on its scheduler
        }
        catch (Exception)
        {
            // the directory is unreachable or re-activating: the next refresh, or the next change, sends the entry again
        }
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
