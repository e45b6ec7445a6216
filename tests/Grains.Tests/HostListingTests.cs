using Microsoft.Extensions.Time.Testing;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>Operators' host list (the directory's <see cref="HostListing"/>): order, filters, paging and bad input.</summary>
public sealed class HostListingTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly HostIndex _index = new();
    private HostListing Listing => _listing ??= new HostListing(_index, _time);
    private HostListing? _listing;

    private void Live(string id, HostKind kind, double cpu, HostStatus status = HostStatus.Online)
    {
        var host = new HostCandidate(id, kind, "127.0.0.1:6000", HostCapacity.Default, new HostLoad(cpu, 20, 1, 0), 0, 0.5,
            Accepting: status == HostStatus.Online, Status: status, Approved: true);
        Listing.Upserted(host, _index.Upsert(host));
    }

    [Fact]
    public void LiveHostsComeBestFirstAndHostsThatLeftLastWithoutScore()
    {
        Live("mid", HostKind.P2P, 50);
        Live("best", HostKind.P2P, 5);
        Live("worst", HostKind.Vps, 90);
        Listing.Left(new HostCandidate("gone", HostKind.P2P, "127.0.0.1:6001", HostCapacity.Default, HostLoad.Idle, 0, 0.5, false, Status: HostStatus.Offline));
        Listing.Left(new HostCandidate("banned", HostKind.P2P, "", HostCapacity.Default, HostLoad.Idle, 0, 0.5, false, Status: HostStatus.Banned));

        var page = Listing.Query(new HostQuery(null, null, 0, 50));

        Assert.Equal(["best", "mid", "worst", "banned", "gone"], page.Items.Select(h => h.HostId));
        Assert.Equal(5, page.Total);
        Assert.True(page.Items[0].Score > page.Items[1].Score && page.Items[1].Score > page.Items[2].Score);
        Assert.All(page.Items.Skip(3), h => Assert.Null(h.Score));
        Assert.Null(page.Items.Single(h => h.HostId == "banned").Endpoint);
        Assert.Equal(HostStatus.Banned, page.Items.Single(h => h.HostId == "banned").Status);
    }

    [Fact]
    public void FiltersByStatusAndKindAndPages()
    {
        for (int i = 0; i < 30; i++) Live($"p{i:00}", i % 3 == 0 ? HostKind.Vps : HostKind.P2P, i, i % 5 == 0 ? HostStatus.Draining : HostStatus.Online);

        var vps = Listing.Query(new HostQuery(null, HostKind.Vps, 0, 500));
        Assert.Equal(10, vps.Total);
        Assert.All(vps.Items, h => Assert.Equal(HostKind.Vps, h.Kind));

        var draining = Listing.Query(new HostQuery(HostStatus.Draining, null, 0, 500));
        Assert.Equal(6, draining.Total);
        Assert.All(draining.Items, h => Assert.Equal(HostStatus.Draining, h.Status));

        var all = Listing.Query(new HostQuery(null, null, 0, 500)).Items.Select(h => h.HostId).ToList();
        var pages = new List<string>();
        for (int offset = 0; offset < 30; offset += 7)
        {
            var page = Listing.Query(new HostQuery(null, null, offset, 7));
            Assert.Equal((30, offset), (page.Total, page.Offset));
            pages.AddRange(page.Items.Select(h => h.HostId));
        }
        Assert.Equal(all, pages);
        Assert.Empty(Listing.Query(new HostQuery(null, null, 30, 7)).Items);
    }

    [Fact]
    public void AStatusChangeShowsAtOnceAndScoresWithinASecond()
    {
        Live("a", HostKind.P2P, 10);
        Live("b", HostKind.P2P, 20);
        Assert.Equal("a", Listing.Query(new HostQuery(null, null, 0, 1)).Items[0].HostId);

        Live("a", HostKind.P2P, 10, HostStatus.Draining); // a status change rebuilds the view at once
        Assert.Equal(HostStatus.Draining, Listing.Find("a")!.Status);
        Assert.Equal(HostStatus.Draining, Listing.Query(new HostQuery(HostStatus.Draining, null, 0, 5)).Items.Single().Status);

        Live("b", HostKind.P2P, 1); // a load change alone: the view may lag, by at most MaxAge
        _time.Advance(HostListing.MaxAge);
        Assert.Equal("b", Listing.Query(new HostQuery(null, null, 0, 1)).Items[0].HostId);
    }

    [Theory]
    [InlineData(-1, 10, "offset")]
    [InlineData(0, 0, "limit")]
    [InlineData(0, 501, "limit")]
    public void BadPagingNamesTheField(int offset, int limit, string field)
    {
        var e = Assert.Throws<ClusterException>(() => Listing.Query(new HostQuery(null, null, offset, limit)));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
        Assert.StartsWith(field + ":", e.Message);
    }

    [Fact]
    public void UnknownEnumValuesNameTheField()
    {
        Assert.StartsWith("status:", Assert.Throws<ClusterException>(() => Listing.Query(new HostQuery((HostStatus)9, null, 0, 5))).Message);
        Assert.StartsWith("kind:", Assert.Throws<ClusterException>(() => Listing.Query(new HostQuery(null, (HostKind)9, 0, 5))).Message);
    }

    [Fact]
    public void TenThousandHostsPageWithinABudget()
    {
        for (int i = 0; i < 10_000; i++) Live($"h{i}", i % 4 == 0 ? HostKind.Vps : HostKind.P2P, i % 97);
        Listing.Query(new HostQuery(null, null, 0, 100)); // builds the view
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 100; i++) Listing.Query(new HostQuery(HostStatus.Online, HostKind.P2P, i * 10, 100));
        // A page is a filter pass over the sorted view: far below a millisecond each, even on a busy 2-core machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"100 pages took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }
}
