using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Grains;

/// <summary>
/// The host directory's answer to operators' host list: the live hosts of a <see cref="HostIndex"/> plus the hosts
/// that left (offline, banned; remembered in memory, at most <see cref="MaxLeft"/>), as one view sorted by placement
/// score, best first, hosts without a score (left) last, then by host id. The view is rebuilt when a host joins, leaves
/// or changes status, and otherwise at most once per <see cref="MaxAge"/> (scores move with every heartbeat), so a
/// page of 10,000 hosts costs one filter pass rather than a sort.
/// </summary>
public sealed class HostListing(HostIndex live, TimeProvider time)
{
    /// <summary>Hosts that left kept for the list; beyond this an arbitrary old one is forgotten.</summary>
    public const int MaxLeft = 100_000;

    /// <summary>How stale a score in the view may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public const int MaxLimit = 500;

    private readonly Dictionary<string, HostCandidate> _left = new(StringComparer.Ordinal);
    private HostSummary[]? _view;
    private DateTimeOffset _builtAt;

    /// <summary>A live host was upserted; <paramref name="previous"/> is what the index held before (null: it joined).</summary>
    public void Upserted(HostCandidate host, HostCandidate? previous)
    {
        if (previous is null) _left.Remove(host.HostId);
        // Not on a load or acceptance change (an overloaded host flips with its heartbeats): scores may lag by MaxAge.
        if (previous is null || previous.Status != host.Status || previous.Approved != host.Approved
            || previous.Kind != host.Kind || previous.Endpoint != host.Endpoint)
            _view = null;
    }

    /// <summary>A host left the index (or was never in it): remember it as it last was, with its new status.</summary>
    public void Left(HostCandidate host)
    {
        if (_left.Count >= MaxLeft && !_left.ContainsKey(host.HostId)) _left.Remove(_left.Keys.First());
        _left[host.HostId] = host;
        _view = null;
    }

    /// <summary>One host, live or left, or null.</summary>
    public HostSummary? Find(string hostId)
    {
        if (live.TryGet(hostId, out var host, out var score)) return Summary(host, score.Total);
        return _left.TryGetValue(hostId, out var gone) ? Summary(gone, null) : null;
    }

    /// <summary>A page of the view; throws <see cref="ClusterError.InvalidArgument"/> naming a bad field.</summary>
    public HostPage Query(HostQuery query)
    {
        Validate(query);
        return Page(View(), query);
    }

    /// <summary>Throws <see cref="ClusterError.InvalidArgument"/> naming the first bad field of <paramref name="query"/>.</summary>
    public static void Validate(HostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Offset < 0) throw Invalid("offset", $"{query.Offset} must be 0 or more");
        if (query.Limit is < 1 or > MaxLimit) throw Invalid("limit", $"{query.Limit} is out of range 1–{MaxLimit}");
        if (query.Status is { } status && !Enum.IsDefined(status)) throw Invalid("status", $"{(int)status} is not a host status");
        if (query.Kind is { } kind && !Enum.IsDefined(kind)) throw Invalid("kind", $"{(int)kind} is not a host kind");
    }

    /// <summary>A page of a sorted <paramref name="view"/> (as <see cref="Snapshot"/> gives it) for a valid <paramref name="query"/>.</summary>
    public static HostPage Page(IReadOnlyList<HostSummary> view, HostQuery query)
    {
        if (query.Status is null && query.Kind is null)
        {
            int from = Math.Min(query.Offset, view.Count), count = Math.Min(query.Limit, view.Count - from);
            var slice = new HostSummary[count];
            for (int i = 0; i < count; i++) slice[i] = view[from + i];
            return new HostPage(view.Count, query.Offset, slice);
        }
        var items = new List<HostSummary>(Math.Min(query.Limit, view.Count));
        int total = 0;
        foreach (var host in view)
        {
            if ((query.Status is { } s && host.Status != s) || (query.Kind is { } k && host.Kind != k)) continue;
            if (total >= query.Offset && items.Count < query.Limit) items.Add(host);
            total++;
        }
        return new HostPage(total, query.Offset, items);
    }

    private static ClusterException Invalid(string field, string message) => new(ClusterError.InvalidArgument, $"{field}: {message}");

    /// <summary>The whole sorted view, at most <see cref="MaxAge"/> old; never changed once returned (a rebuild makes a new array).</summary>
    public HostSummary[] Snapshot() => View();

    private HostSummary[] View()
    {
        var now = time.GetUtcNow();
        if (_view is { } view && now - _builtAt < MaxAge) return view;
        var rows = new HostSummary[live.Count + _left.Count];
        int i = 0;
        foreach (var (host, score) in live.Scored) rows[i++] = Summary(host, double.IsNaN(score.Total) ? null : score.Total);
        foreach (var host in _left.Values)
            if (!live.TryGet(host.HostId, out _, out _)) rows[i++] = Summary(host, null);
        Array.Resize(ref rows, i);
        Array.Sort(rows, Compare);
        (_view, _builtAt) = (rows, now);
        return rows;
    }

    private static int Compare(HostSummary a, HostSummary b)
    {
        if (a.Score is { } x && b.Score is { } y && x != y) return y.CompareTo(x);
        if (a.Score.HasValue != b.Score.HasValue) return a.Score.HasValue ? -1 : 1;
        return string.CompareOrdinal(a.HostId, b.HostId);
    }

    private static HostSummary Summary(HostCandidate host, double? score) =>
        new(host.HostId, host.Kind, host.Status, string.IsNullOrEmpty(host.Endpoint) ? null : host.Endpoint, score, score is null ? null : host.Load, host.Capacity, host.Maps, host.Approved);
}
