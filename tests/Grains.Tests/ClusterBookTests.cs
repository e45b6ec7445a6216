using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>How the cluster-state grain turns pushed statuses, the directory and process tallies into a snapshot.</summary>
public sealed class ClusterBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private static HostCandidate Live(string id, HostKind kind, int players = 0) =>
        new(id, kind, "127.0.0.1:6200", HostCapacity.Default, new HostLoad(10, 10, 1, players), 0, 50, Accepting: true);

    private static int Hosts(ClusterSnapshot s, HostKind kind, ClusterHostStatus status) =>
        s.Hosts.Single(h => h.Kind == kind && h.Status == status).Count;

    private static int Maps(ClusterSnapshot s, ClusterMapState state) => s.Maps.Single(m => m.State == state).Count;

    [Fact]
    public void LiveHostsCountWithTheStatusTheirGrainReportedAndOnlineOtherwise()
    {
        var book = new ClusterBook(Retention);
        book.HostStatus("a", HostKind.P2P, ClusterHostStatus.Suspect, T0);
        book.HostStatus("b", HostKind.P2P, ClusterHostStatus.Draining, T0);
        book.HostStatus("c", HostKind.Vps, ClusterHostStatus.Dead, T0); // an old report; the directory says it is back

        var s = book.Build(T0.AddSeconds(1), [Live("a", HostKind.P2P, 3), Live("b", HostKind.P2P, 4), Live("c", HostKind.Vps), Live("d", HostKind.P2P)], 2, null);

        Assert.Equal(1, Hosts(s, HostKind.P2P, ClusterHostStatus.Suspect));
        Assert.Equal(1, Hosts(s, HostKind.P2P, ClusterHostStatus.Draining));
        Assert.Equal(1, Hosts(s, HostKind.P2P, ClusterHostStatus.Online));
        Assert.Equal(1, Hosts(s, HostKind.Vps, ClusterHostStatus.Online));
        Assert.Equal(0, Hosts(s, HostKind.Vps, ClusterHostStatus.Dead));
        Assert.Equal(4, s.Hosts.Sum(h => h.Count));
        Assert.Equal(10, s.Hosts.Count); // every kind × status, zeros included: stable series
        Assert.Equal(7, s.PlayersOnline);
        Assert.Equal(2, s.SilosActive);
    }

    [Fact]
    public void HostsOutsideTheDirectoryCountOnlyWhileDeadSuspectOrBanned()
    {
        var book = new ClusterBook(Retention);
        book.HostStatus("dead", HostKind.P2P, ClusterHostStatus.Dead, T0);
        book.HostStatus("banned", HostKind.Vps, ClusterHostStatus.Banned, T0);
        book.HostStatus("reconnecting", HostKind.P2P, ClusterHostStatus.Suspect, T0);
        book.HostStatus("gone-online", HostKind.P2P, ClusterHostStatus.Online, T0); // its removal is on its way
        book.HostStatus("left", HostKind.P2P, ClusterHostStatus.Online, T0);
        book.HostStatus("left", HostKind.P2P, null, T0.AddSeconds(1));

        var s = book.Build(T0.AddSeconds(2), [], 1, null);
        Assert.Equal(1, Hosts(s, HostKind.P2P, ClusterHostStatus.Dead));
        Assert.Equal(1, Hosts(s, HostKind.Vps, ClusterHostStatus.Banned));
        Assert.Equal(1, Hosts(s, HostKind.P2P, ClusterHostStatus.Suspect));
        Assert.Equal(3, s.Hosts.Sum(h => h.Count));

        // A dead host is forgotten after the retention; a banned one stays banned.
        var later = book.Build(T0 + Retention + TimeSpan.FromSeconds(1), [], 1, null);
        Assert.Equal(0, Hosts(later, HostKind.P2P, ClusterHostStatus.Dead));
        Assert.Equal(1, Hosts(later, HostKind.Vps, ClusterHostStatus.Banned));
    }

    [Fact]
    public void DeadAndBannedHostsAreWhatIsPersistedAndTheirVersionMovesOnlyWhenTheyChange()
    {
        var book = new ClusterBook(Retention);
        book.HostStatus("up", HostKind.P2P, ClusterHostStatus.Online, T0);
        book.HostStatus("sus", HostKind.P2P, ClusterHostStatus.Suspect, T0);
        Assert.Equal(0, book.MarkedVersion);

        book.HostStatus("d", HostKind.P2P, ClusterHostStatus.Dead, T0);
        book.HostStatus("b", HostKind.Vps, ClusterHostStatus.Banned, T0);
        int version = book.MarkedVersion;
        Assert.True(version > 0);
        Assert.Equal([("b", ClusterHostStatus.Banned), ("d", ClusterHostStatus.Dead)], book.Marked.OrderBy(h => h.HostId).Select(h => (h.HostId, h.Status)));

        book.HostStatus("up", HostKind.P2P, ClusterHostStatus.Draining, T0.AddSeconds(1));
        Assert.Equal(version, book.MarkedVersion);
        book.HostStatus("d", HostKind.P2P, ClusterHostStatus.Online, T0.AddSeconds(1)); // back
        Assert.True(book.MarkedVersion > version);
        Assert.Equal(["b"], book.Marked.Select(h => h.HostId));

        // A new activation restores them and counts them at once.
        var restored = new ClusterBook(Retention);
        foreach (var h in book.Marked) restored.HostStatus(h.HostId, h.Kind, h.Status, h.At);
        Assert.Equal(1, Hosts(restored.Build(T0.AddSeconds(2), [], 1, null), HostKind.Vps, ClusterHostStatus.Banned));
    }

    [Fact]
    public void AnOlderReportOvertakenInFlightIsIgnored()
    {
        var book = new ClusterBook(Retention);
        Assert.True(book.HostStatus("h", HostKind.P2P, ClusterHostStatus.Dead, T0.AddSeconds(2)));
        Assert.False(book.HostStatus("h", HostKind.P2P, ClusterHostStatus.Suspect, T0.AddSeconds(1)));
        Assert.True(book.MapState("m", ClusterMapState.Vps, T0.AddSeconds(2)));
        Assert.False(book.MapState("m", ClusterMapState.Unassigned, T0.AddSeconds(1)));

        var s = book.Build(T0.AddSeconds(3), [], 1, null);
        Assert.Equal(1, Hosts(s, HostKind.P2P, ClusterHostStatus.Dead));
        Assert.Equal(1, Maps(s, ClusterMapState.Vps));
        Assert.Empty(s.UnassignedMaps);
    }

    [Fact]
    public void MapsCountByStateAndAnUnassignedMapKeepsItsFirstMoment()
    {
        var book = new ClusterBook(Retention);
        book.MapState("p1", ClusterMapState.P2P, T0);
        book.MapState("p2", ClusterMapState.P2P, T0);
        book.MapState("v", ClusterMapState.Vps, T0);
        book.MapState("s", ClusterMapState.Starting, T0);
        book.MapState("off", ClusterMapState.Disabled, T0);
        book.MapState("late", ClusterMapState.Unassigned, T0.AddSeconds(5));
        book.MapState("u", ClusterMapState.Unassigned, T0.AddSeconds(1));
        book.MapState("u", ClusterMapState.Unassigned, T0.AddSeconds(3)); // still unassigned: since stays at +1 s

        var s = book.Build(T0.AddSeconds(10), [], 1, null);
        Assert.Equal([2, 1, 2, 1, 1], s.Maps.OrderBy(m => m.State).Select(m => m.Count));
        Assert.Equal([("u", T0.AddSeconds(1)), ("late", T0.AddSeconds(5))], s.UnassignedMaps.Select(u => (u.Map, u.Since)));

        book.MapState("u", ClusterMapState.Starting, T0.AddSeconds(11));
        book.MapState("u", ClusterMapState.Unassigned, T0.AddSeconds(12)); // unassigned again: a new since
        Assert.Equal(T0.AddSeconds(12), book.Build(T0.AddSeconds(13), [], 1, null).UnassignedMaps.Single(u => u.Map == "u").Since);
    }

    [Fact]
    public void TalliesFillTheAlertWindows()
    {
        var book = new ClusterBook(Retention);
        book.Add(new ClusterTally(T0, new Dictionary<string, int> { ["dead"] = 2, ["overload"] = 1 },
            new Dictionary<string, int> { ["cheat"] = 5, ["other"] = 1 }, 3), T0);
        book.Add(new ClusterTally(T0, new Dictionary<string, int> { ["silent"] = 1 },
            new Dictionary<string, int> { ["cheat"] = 2 }, 1), T0.AddSeconds(50));

        var s = book.Build(T0.AddSeconds(55), [], 1, T0.AddSeconds(-30));
        Assert.Equal(4, s.FailoversLast5Min);
        Assert.Equal(4, s.TicketRefusalsLastMinute);
        Assert.Equal([("cheat", 7), ("other", 1)], s.RefusedWritesLastMinute.Select(r => (r.HostId, r.Count)));
        Assert.Equal(T0.AddSeconds(-30), s.DatabaseUnreachableSince);

        // After a minute only the second report is in the rate windows; the failovers stay for five.
        var later = book.Build(T0.AddSeconds(75), [], 1, null);
        Assert.Equal(4, later.FailoversLast5Min);
        Assert.Equal(1, later.TicketRefusalsLastMinute);
        Assert.Equal([("cheat", 2)], later.RefusedWritesLastMinute.Select(r => (r.HostId, r.Count)));

        var gone = book.Build(T0.AddMinutes(6), [], 1, null);
        Assert.Equal(0, gone.FailoversLast5Min);
        Assert.Empty(gone.RefusedWritesLastMinute);
    }
}
