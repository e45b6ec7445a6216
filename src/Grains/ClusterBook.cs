using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// The cluster-state grain's memory, and how a <see cref="ClusterSnapshot"/> is computed from it (pure, no calls):
/// host and map statuses pushed by their grains (the newest report wins), the counts processes report, and the
/// windows alerts read. The host directory is the truth on which hosts are live: a live host counts with the status
/// its grain last reported (online if none), a host not in the directory only while it is suspect (connection lost,
/// within its reconnect grace), dead (within <c>deadRetention</c>) or banned.
/// </summary>
public sealed class ClusterBook(TimeSpan deadRetention)
{
    /// <summary>How far back failovers count (the host_churn alert).</summary>
    public static readonly TimeSpan FailoverWindow = TimeSpan.FromMinutes(5);

    /// <summary>How far back refused writes and ticket refusals count.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    /// <summary>How long a "left" host is remembered, so a report overtaken in flight cannot bring it back.</summary>
    private static readonly TimeSpan Tombstone = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, HostEntry> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapEntry> _maps = new(StringComparer.Ordinal);
    private readonly SlidingCount _failovers = new(FailoverWindow);
    private readonly SlidingCount _ticketRefusals = new(RateWindow);
    private readonly Dictionary<string, SlidingCount> _refusedWrites = new(StringComparer.Ordinal);

    /// <summary>Moves on whenever the set of dead or banned hosts (<see cref="Marked"/>) changes: the grain persists it then.</summary>
    public int MarkedVersion { get; private set; }

    /// <summary>The dead and banned hosts: what a new activation cannot learn from the directory or the map grains.</summary>
    public IEnumerable<MarkedHost> Marked =>
        _hosts.Where(h => IsMarked(h.Value.Status)).Select(h => new MarkedHost(h.Key, h.Value.Kind, h.Value.Status!.Value, h.Value.At));

    /// <summary>Every map reported (or asked for) so far.</summary>
    public IReadOnlyList<string> MapNames => [.. _maps.Keys];

    /// <summary>A host grain's report; false (and ignored) when an equally new or newer one was applied.</summary>
    public bool HostStatus(string hostId, HostKind kind, ClusterHostStatus? status, DateTimeOffset at)
    {
        bool wasKnown = _hosts.TryGetValue(hostId, out var known);
        if (wasKnown && known!.At >= at) return false;
        _hosts[hostId] = new HostEntry(kind, status, at);
        if (IsMarked(status) || (wasKnown && IsMarked(known!.Status))) MarkedVersion++;
        return true;
    }

    private static bool IsMarked(ClusterHostStatus? status) => status is ClusterHostStatus.Dead or ClusterHostStatus.Banned;

    /// <summary>A map grain's report (or its answer when asked); false when a newer one was applied.</summary>
    public bool MapState(string map, ClusterMapState state, DateTimeOffset at)
    {
        if (_maps.TryGetValue(map, out var known) && known.At >= at) return false;
        var since = known is not null && known.State == state ? known.Since : at;
        _maps[map] = new MapEntry(state, since, at);
        return true;
    }

    /// <summary>Adds one process's counts, as of <paramref name="receivedAt"/> (the grain's clock, not the sender's).</summary>
    public void Add(ClusterTally tally, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(tally);
        foreach (var count in tally.Failovers.Values) _failovers.Add(receivedAt, count);
        _ticketRefusals.Add(receivedAt, tally.TicketRefusals);
        foreach (var (host, count) in tally.RefusedWrites)
        {
            if (count <= 0) continue;
            if (!_refusedWrites.TryGetValue(host, out var window)) _refusedWrites[host] = window = new SlidingCount(RateWindow);
            window.Add(receivedAt, count);
        }
    }

    /// <summary>The snapshot at <paramref name="now"/>, given the directory's live hosts, the active silos and the database's state.</summary>
    public ClusterSnapshot Build(DateTimeOffset now, IReadOnlyCollection<HostCandidate> live, int silosActive, DateTimeOffset? databaseDownSince)
    {
        var hosts = new int[2, 5];
        int players = 0;
        var liveIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in live)
        {
            if (!liveIds.Add(host.HostId)) continue;
            players += Math.Max(0, host.Load.Players);
            var status = _hosts.TryGetValue(host.HostId, out var known) && known.Status is ClusterHostStatus.Online or ClusterHostStatus.Suspect or ClusterHostStatus.Draining
                ? known.Status.Value
                : ClusterHostStatus.Online;
            hosts[KindIndex(host.Kind), (int)status]++;
        }
        List<string>? forget = null;
        foreach (var (id, entry) in _hosts)
        {
            if ((entry.Status is null && now - entry.At > Tombstone) || (entry.Status == ClusterHostStatus.Dead && now - entry.At > deadRetention))
            {
                (forget ??= []).Add(id);
                continue;
            }
            if (liveIds.Contains(id)) continue;
            if (entry.Status is ClusterHostStatus.Suspect or ClusterHostStatus.Dead or ClusterHostStatus.Banned)
                hosts[KindIndex(entry.Kind), (int)entry.Status.Value]++;
        }
        if (forget is not null)
        {
            foreach (string id in forget) _hosts.Remove(id);
            MarkedVersion++;
        }

        var hostCounts = new List<HostCount>(10);
        foreach (var kind in (HostKind[])[HostKind.P2P, HostKind.Vps])
            foreach (var status in Enum.GetValues<ClusterHostStatus>())
                hostCounts.Add(new HostCount(kind, status, hosts[KindIndex(kind), (int)status]));

        var maps = new int[5];
        var unassigned = new List<UnassignedMap>();
        foreach (var (name, entry) in _maps)
        {
            maps[(int)entry.State]++;
            if (entry.State == ClusterMapState.Unassigned) unassigned.Add(new UnassignedMap(name, entry.Since));
        }
        unassigned.Sort((a, b) => a.Since != b.Since ? a.Since.CompareTo(b.Since) : string.CompareOrdinal(a.Map, b.Map));

        return new ClusterSnapshot(now, hostCounts, [.. Enum.GetValues<ClusterMapState>().Select(s => new MapCount(s, maps[(int)s]))],
            unassigned, players, silosActive, _failovers.Count(now), RefusedWrites(now), _ticketRefusals.Count(now), databaseDownSince);
    }

    private List<HostRefusals> RefusedWrites(DateTimeOffset now)
    {
        var result = new List<HostRefusals>();
        List<string>? quiet = null;
        foreach (var (host, window) in _refusedWrites)
        {
            int count = window.Count(now);
            if (count > 0) result.Add(new HostRefusals(host, count));
            else (quiet ??= []).Add(host);
        }
        if (quiet is not null) foreach (string host in quiet) _refusedWrites.Remove(host);
        result.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.HostId, b.HostId));
        return result;
    }

    private static int KindIndex(HostKind kind) => kind == HostKind.Vps ? 1 : 0;

    private sealed record HostEntry(HostKind Kind, ClusterHostStatus? Status, DateTimeOffset At);

    private sealed record MapEntry(ClusterMapState State, DateTimeOffset Since, DateTimeOffset At);
}
