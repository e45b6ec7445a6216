using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// The host directory's placement index: every known host by id, plus the hosts with room for a map
/// (<see cref="PlacementScorer.HasRoom"/>) in one ordered set per kind, best first. A decision reads the head of a set,
/// so it costs O(log n) in the number of hosts instead of a scan that scores every host.
/// </summary>
/// <remarks>
/// Order: higher score first, then the ordinal-smaller host id, so equal (rounded) scores always break the same way.
/// A NaN score (a load the scorer could not make sense of) sorts last and is never chosen, as the scan never chose one.
/// <para>
/// Why <see cref="SortedSet{T}"/> and not a <see cref="PriorityQueue{TElement, TPriority}"/>: a host's score changes
/// on every refresh (each host every couple of seconds) and on every placement it gets. The dictionary remembers the
/// key each host was ranked under, so the set removes it exactly in O(log n) and always holds exactly the hosts with
/// room: its Count is the eligible count, its head is the answer. A heap cannot remove an arbitrary entry; with lazy
/// invalidation it would pile up one stale entry per refresh until it surfaced, need compacting, and still need its
/// own tally of eligible hosts. An excluded host at the head is skipped by looking at the second entry.
/// </para>
/// </remarks>
public sealed class HostIndex
{
    private readonly Dictionary<string, Entry> _hosts = new(StringComparer.Ordinal);
    private readonly SortedSet<Rank> _p2p = [];
    private readonly SortedSet<Rank> _vps = [];

    /// <summary>Every known host as last upserted, with the maps placed on it since counted in.</summary>
    public IEnumerable<HostCandidate> Candidates => _hosts.Values.Select(e => e.Host);

    /// <summary>Every known host with its score breakdown, unordered.</summary>
    public IEnumerable<(HostCandidate Host, ScoreBreakdown Score)> Scored => _hosts.Values.Select(e => (e.Host, e.Score));

    public int Count => _hosts.Count;

    /// <summary>One host and its score, if known.</summary>
    public bool TryGet(string hostId, out HostCandidate host, out ScoreBreakdown score)
    {
        bool found = _hosts.TryGetValue(hostId, out var entry);
        (host, score) = found ? (entry.Host, entry.Score) : (null!, null!);
        return found;
    }

    /// <summary>Counts one more map against a known host (an operator's placement), as <see cref="Place"/> does.</summary>
    public void Take(string hostId)
    {
        if (_hosts.TryGetValue(hostId, out var entry)) Store(entry.Host with { Maps = entry.Host.Maps + 1 }, entry);
    }

    /// <summary>
    /// Counts one map less against a known host (a map moving off it), so that placements made before its next refresh
    /// see the slot free: a network reset or a failover moves many maps at once.
    /// </summary>
    public void Give(string hostId)
    {
        if (_hosts.TryGetValue(hostId, out var entry) && entry.Host.Maps > 0) Store(entry.Host with { Maps = entry.Host.Maps - 1 }, entry);
    }

    /// <summary>Adds or replaces a host; returns what was known of it before, if anything.</summary>
    public HostCandidate? Upsert(HostCandidate host)
    {
        ArgumentNullException.ThrowIfNull(host);
        bool known = _hosts.TryGetValue(host.HostId, out var previous);
        Store(host, known ? previous : null);
        return known ? previous.Host : null;
    }

    /// <summary>Forgets a host; false when it was not known.</summary>
    public bool Remove(string hostId)
    {
        if (!_hosts.Remove(hostId, out var entry)) return false;
        if (entry.Ranked) SetOf(entry.Host.Kind).Remove(entry.Rank);
        return true;
    }

    /// <summary>How many hosts could take a map under <paramref name="policy"/>, not counting <paramref name="excludeHost"/>.</summary>
    public int CountEligible(MapPolicy policy, string? excludeHost, bool p2pPaused = false)
    {
        bool p2pAllowed = policy.Allows(HostKind.P2P) && !p2pPaused;
        int eligible = _vps.Count + (p2pAllowed ? _p2p.Count : 0);
        if (excludeHost is not null && _hosts.TryGetValue(excludeHost, out var excluded) && excluded.Ranked
            && (excluded.Host.Kind == HostKind.Vps || p2pAllowed))
            eligible--;
        return eligible;
    }

    /// <summary>
    /// The best P2P host scoring at least the policy's minimum, else the best VPS host, never <paramref name="excludeHost"/>;
    /// the map is counted against it at once (re-ranked, and out of the sets when that was its last slot). Null when no
    /// host qualifies. While <paramref name="p2pPaused"/> (emergency failover) no P2P host is chosen.
    /// </summary>
    public HostChoice? Place(MapPolicy policy, string? excludeHost, bool p2pPaused = false)
    {
        Rank? chosen = null;
        if (policy.Allows(HostKind.P2P) && !p2pPaused && Best(_p2p, excludeHost) is { } p2p && p2p.Score >= policy.MinScore) chosen = p2p;
        if (chosen is null && Best(_vps, excludeHost) is { } vps && !double.IsNaN(vps.Score)) chosen = vps;
        if (chosen is not { } rank) return null;

        var entry = _hosts[rank.HostId];
        var choice = new HostChoice(entry.Host, entry.Score, CountEligible(policy, excludeHost, p2pPaused),
            Considered(policy, excludeHost, p2pPaused, rank.HostId));
        Store(entry.Host with { Maps = entry.Host.Maps + 1 }, entry);
        return choice;
    }

    /// <summary>How many of each kind's best hosts a decision lists as considered.</summary>
    public const int ConsideredPerKind = 3;

    /// <summary>
    /// The best <see cref="ConsideredPerKind"/> hosts of each kind with room, as a decision saw them, each with why it
    /// was not chosen (null for <paramref name="chosen"/>). Hosts without room are not listed: they were never candidates.
    /// </summary>
    public IReadOnlyList<CandidateScore> Considered(MapPolicy policy, string? excludeHost, bool p2pPaused, string? chosen)
    {
        var result = new List<CandidateScore>(2 * ConsideredPerKind);
        foreach (var set in (SortedSet<Rank>[])[_p2p, _vps])
        {
            foreach (var rank in set.Take(ConsideredPerKind))
            {
                var entry = _hosts[rank.HostId];
                result.Add(new CandidateScore(rank.HostId, entry.Host.Kind, entry.Score, Refusal(entry, policy, excludeHost, p2pPaused, chosen)));
            }
        }
        return result;
    }

    private string? Refusal(Entry entry, MapPolicy policy, string? excludeHost, bool p2pPaused, string? chosen)
    {
        var host = entry.Host;
        if (string.Equals(host.HostId, chosen, StringComparison.Ordinal)) return null;
        if (string.Equals(host.HostId, excludeHost, StringComparison.Ordinal)) return "the host the map is leaving";
        if (host.Kind == HostKind.P2P)
        {
            if (policy.Critical) return "critical map: VPS hosts only";
            if (!policy.P2PAllowed) return "the map's policy does not allow P2P hosts";
            if (p2pPaused) return "P2P placement is paused (emergency failover)";
            if (double.IsNaN(entry.Score.Total)) return "its load could not be scored";
            if (entry.Score.Total < policy.MinScore) return $"score {entry.Score.Total:0.##} is below the map's min_score {policy.MinScore:0.##}";
        }
        else if (double.IsNaN(entry.Score.Total)) return "its load could not be scored";
        if (chosen is not null && _hosts.TryGetValue(chosen, out var winner))
        {
            if (winner.Host.Kind == HostKind.P2P && host.Kind == HostKind.Vps) return "a P2P host qualified (P2P hosts come first)";
            return $"lower score than {chosen}";
        }
        return "no host was chosen";
    }

    private static Rank? Best(SortedSet<Rank> set, string? excludeHost)
    {
        if (set.Count == 0) return null;
        var first = set.Min;
        if (!string.Equals(first.HostId, excludeHost, StringComparison.Ordinal)) return first;
        if (set.Count == 1) return null;
        using var e = set.GetEnumerator();
        e.MoveNext();
        e.MoveNext();
        return e.Current;
    }

    private void Store(HostCandidate host, Entry? previous)
    {
        var score = PlacementScorer.Components(host);
        var entry = new Entry(host, score, PlacementScorer.HasRoom(host));
        if (previous is { } old && old.Ranked && (!entry.Ranked || old.Host.Kind != host.Kind || old.Rank.CompareTo(entry.Rank) != 0))
            SetOf(old.Host.Kind).Remove(old.Rank);
        if (entry.Ranked) SetOf(host.Kind).Add(entry.Rank); // no-op when it is already there under the same rank
        _hosts[host.HostId] = entry;
    }

    private SortedSet<Rank> SetOf(HostKind kind) => kind == HostKind.Vps ? _vps : _p2p;

    private readonly record struct Entry(HostCandidate Host, ScoreBreakdown Score, bool Ranked)
    {
        public Rank Rank => new(Score.Total, Host.HostId);
    }

    /// <summary>A host's place in its kind's set: best first (see the remarks on <see cref="HostIndex"/>).</summary>
    private readonly record struct Rank(double Score, string HostId) : IComparable<Rank>
    {
        public int CompareTo(Rank other)
        {
            int byScore = other.Score.CompareTo(Score); // descending; double.CompareTo puts NaN below every number
            return byScore != 0 ? byScore : string.CompareOrdinal(HostId, other.HostId);
        }
    }
}
