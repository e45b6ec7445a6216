using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>The indexed directory against the plain linear scan (<see cref="LinearPlacement"/>): same host, same eligible count.</summary>
public sealed class HostIndexTests
{
    private static readonly HostCapacity Roomy = new(MaxMaps: 10, MaxPlayers: 100, CpuLimitPercent: 80, MemoryLimitPercent: 85, NetworkLimitMbps: 100);

    private static HostCandidate Host(string id, HostKind kind, double cpu = 10, int maps = 0, HostCapacity? capacity = null, int players = 0, bool accepting = true) =>
        new(id, kind, "10.0.0.1:5121", capacity ?? Roomy, new HostLoad(cpu, 20, 5, players), maps, 1, accepting);

    [Theory]
    [InlineData(12, 400, 300)] // few ids: hosts are replaced, removed, come back, fill up and tie all the time
    [InlineData(200, 40, 2000)] // deep sets: the head moves through many hosts
    public void IndexedChoicesMatchALinearScan(int hostIds, int sequences, int steps)
    {
        for (int seed = 0; seed < sequences; seed++)
        {
            var random = new RandomPlacement(seed, hostIds);
            var pair = new PlacementPair();
            for (int i = 0; i < hostIds / 2; i++) pair.Upsert(random.Host());
            for (int step = 0; step < steps; step++)
            {
                string context = $"(seed {seed}, step {step})";
                int op = random.Random.Next(20);
                if (op < 11)
                {
                    var policy = random.Policy();
                    pair.Place(policy, random.Exclude(() => pair.Reference.Choose(policy, null)?.HostId), context);
                }
                else if (op < 16)
                {
                    pair.Upsert(random.Host());
                }
                else if (op < 18)
                {
                    // A refresh of a known host with its true map count: often the same rank, sometimes a slot freed.
                    var known = pair.Reference.Candidates.ElementAtOrDefault(random.Random.Next(hostIds));
                    if (known is not null) pair.Upsert(known with { Maps = Math.Max(0, known.Maps - random.Random.Next(2)) });
                }
                else
                {
                    pair.Remove(random.HostId());
                }
                if (step % 25 == 0) pair.AssertSameHosts(context);
            }
            pair.AssertSameHosts($"(seed {seed}, end)");
        }
    }

    [Fact]
    public void ExcludedHostThatIsTheOnlyOneLeavesNothing()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("only", HostKind.Vps));
        Assert.Null(pair.Place(MapPolicy.Default, "only"));
        Assert.Equal(0, pair.Index.CountEligible(MapPolicy.Default, "only"));
        Assert.Equal("only", pair.Place(MapPolicy.Default, null)?.Host.HostId);
    }

    [Fact]
    public void ExcludedBestHostYieldsTheNext()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("best", HostKind.P2P, cpu: 0));
        pair.Upsert(Host("next", HostKind.P2P, cpu: 40));
        pair.Upsert(Host("vps", HostKind.Vps));
        var choice = pair.Place(MapPolicy.Default, "best");
        Assert.Equal(("next", 2), (choice?.Host.HostId, choice?.Eligible));
    }

    [Fact]
    public void FullHostsAreNeverChosen()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("maps-full", HostKind.Vps, maps: 10));
        pair.Upsert(Host("players-full", HostKind.Vps, players: 100));
        pair.Upsert(Host("not-accepting", HostKind.P2P, accepting: false));
        pair.Upsert(Host("no-slots", HostKind.P2P, capacity: Roomy with { MaxMaps = 0 }));
        Assert.Null(pair.Place(MapPolicy.Default, null));
        Assert.Equal(0, pair.Index.CountEligible(MapPolicy.Default, null));
    }

    [Fact]
    public void HostLeavesWithItsLastSlotAndReturnsWhenARefreshFreesOne()
    {
        var pair = new PlacementPair();
        var host = Host("small", HostKind.P2P, maps: 1, capacity: Roomy with { MaxMaps = 2 });
        pair.Upsert(host);
        Assert.Equal(1, pair.Place(MapPolicy.Default, null)?.Host.Maps);
        Assert.Null(pair.Place(MapPolicy.Default, null));
        pair.Upsert(host); // the host grain's refresh: one map of its two ended
        Assert.Equal("small", pair.Place(MapPolicy.Default, null)?.Host.HostId);
    }

    [Fact]
    public void CriticalMapWithOnlyP2PHostsFindsNothing()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("p1", HostKind.P2P));
        pair.Upsert(Host("p2", HostKind.P2P, cpu: 0));
        var critical = MapPolicy.Default with { Critical = true };
        Assert.Null(pair.Place(critical, null));
        Assert.Equal(0, pair.Index.CountEligible(critical, null));
        Assert.Null(pair.Place(MapPolicy.Default with { P2PAllowed = false }, null));
        Assert.Equal("p2", pair.Place(MapPolicy.Default, null)?.Host.HostId);
    }

    [Fact]
    public void MinScoreAboveEveryP2PHostFallsToVpsOrNothing()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("p2p", HostKind.P2P, cpu: 0));
        var picky = MapPolicy.Default with { MinScore = 99.9 };
        Assert.Null(pair.Place(picky, null));
        pair.Upsert(Host("vps", HostKind.Vps, cpu: 70));
        var choice = pair.Place(picky, null);
        Assert.Equal(("vps", 2), (choice?.Host.HostId, choice?.Eligible)); // the P2P host is eligible, just not good enough
    }

    [Fact]
    public void RemovedHostIsNeverPlaced()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("gone", HostKind.P2P, cpu: 0));
        pair.Upsert(Host("stays", HostKind.Vps));
        pair.Remove("gone");
        pair.Remove("gone");
        pair.Remove("never-known");
        Assert.Equal("stays", pair.Place(MapPolicy.Default, null)?.Host.HostId);
        pair.Remove("stays");
        Assert.Null(pair.Place(MapPolicy.Default, null));
        Assert.Empty(pair.Index.Candidates);
    }

    [Fact]
    public void HostChangingKindMovesBetweenSets()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("h", HostKind.P2P));
        pair.Upsert(Host("h", HostKind.Vps));
        var critical = MapPolicy.Default with { Critical = true };
        Assert.Equal("h", pair.Place(critical, null)?.Host.HostId);
        Assert.Equal(1, pair.Index.CountEligible(MapPolicy.Default, null));
    }

    [Fact]
    public void EqualScoresBreakByOrdinalHostId()
    {
        var pair = new PlacementPair();
        foreach (string id in (string[])["b", "a", "B", "a-"]) pair.Upsert(Host(id, HostKind.P2P));
        Assert.Equal("B", pair.Place(MapPolicy.Default, null)?.Host.HostId); // 'B' < 'a' < 'a-' < 'b' ordinally
        Assert.Equal("a", pair.Place(MapPolicy.Default, null)?.Host.HostId); // B lost capacity headroom
    }

    [Fact]
    public void HostWithUnreadableLoadIsCountedButNeverChosen()
    {
        var pair = new PlacementPair();
        pair.Upsert(Host("nan", HostKind.Vps, cpu: double.NaN));
        Assert.Null(pair.Place(MapPolicy.Default, null));
        Assert.Equal(1, pair.Index.CountEligible(MapPolicy.Default, null));
        pair.Upsert(Host("busy", HostKind.Vps, cpu: 79));
        Assert.Equal("busy", pair.Place(MapPolicy.Default, null)?.Host.HostId);
    }
}
