using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Admin;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>Operators' session look-up (by account, character id or name) and ending a session, through the real grains.</summary>
[Collection(InMemoryCluster.Name)]
public sealed class ClusterAdminSessionTests(InMemoryClusterFixture fixture)
{
    private static int _nextAccount = 2_400_000;

    private ClusterAdmin Admin => new(fixture.Cluster.GrainFactory, InMemoryClusterFixture.Accounts, Options.Create(new ClusterStateOptions()),
        new HostViewCache(fixture.Cluster.GrainFactory, TimeProvider.System), NullLogger<ClusterAdmin>.Instance);

    private static (int Account, int First, int Second, string Name) AddAccount()
    {
        int account = Interlocked.Increment(ref _nextAccount);
        InMemoryClusterFixture.Accounts.Add(new AccountRecord(account, $"u{account}", "pw", 'M', 0));
        int first = account * 10, second = account * 10 + 1;
        InMemoryClusterFixture.Accounts.Add(new CharacterSummary(first, account, 0, $"Knight{account}", 7, 50, FirstMap(account), 150, 150));
        InMemoryClusterFixture.Accounts.Add(new CharacterSummary(second, account, 1, $"Mage{account}", 2, 10, "geffen", 120, 60));
        return (account, first, second, $"Mage{account}");
    }

    /// <summary>The first character's last map: one of its own, so that its host and epoch are the test's alone.</summary>
    private static string FirstMap(int account) => $"adm{account}";

    /// <summary>The first character resolving its map (a ticket granted, not yet used), on a host that runs it.</summary>
    private async Task ResolveAsync(int account, int first)
    {
        var map = fixture.Cluster.GrainFactory.GetGrain<IMapGrain>(FirstMap(account));
        var assignment = await fixture.Cluster.GrainFactory.PlaceOnAsync(FirstMap(account), "h00000000000000000001", P2PCluster.Protocol.HostKind.P2P, "198.51.100.7:6121");
        await map.InstanceStateAsync(assignment.HostId, assignment.Epoch, MapInstanceState.Running, 6150, 1);
        await fixture.Cluster.GrainFactory.GetGrain<IPlayerSessionGrain>(first).RequestTicketAsync(account, FirstMap(account));
    }

    [Fact]
    public async Task SessionsAreFoundByAccountCharacterOrName()
    {
        var (account, first, second, name) = AddAccount();
        await ResolveAsync(account, first);

        var byAccount = await Admin.FindSessionsAsync(account, null, null);
        Assert.Equal([first, second], byAccount.Select(s => s.CharId));
        Assert.Equal((SessionState.Resolving, $"Knight{account}"), (byAccount[0].State, byAccount[0].Name));
        Assert.Equal(SessionState.Offline, byAccount[1].State);

        Assert.Equal(first, Assert.Single(await Admin.FindSessionsAsync(null, first, null)).CharId);
        Assert.Equal(second, Assert.Single(await Admin.FindSessionsAsync(null, null, name)).CharId);
        Assert.Empty(await Admin.FindSessionsAsync(null, null, "Nobody" + account));
        Assert.Empty(await Admin.FindSessionsAsync(null, 999_999_999, null));
    }

    [Fact]
    public async Task AskingForNoneOrTwoOrABadValueNamesTheField()
    {
        Assert.Equal(ClusterError.InvalidArgument, (await Assert.ThrowsAsync<ClusterException>(() => Admin.FindSessionsAsync(null, null, null))).Code);
        Assert.Equal(ClusterError.InvalidArgument, (await Assert.ThrowsAsync<ClusterException>(() => Admin.FindSessionsAsync(1, 2, null))).Code);
        Assert.StartsWith("accountId:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.FindSessionsAsync(-1, null, null))).Message);
        Assert.StartsWith("charId:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.FindSessionsAsync(null, 0, null))).Message);
        Assert.StartsWith("name:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.FindSessionsAsync(null, null, ""))).Message);
        Assert.StartsWith("charId:", (await Assert.ThrowsAsync<ClusterException>(() => Admin.EndSessionAsync(0))).Message);
    }

    [Fact]
    public async Task EndingASessionTakesTheCharacterOfflineOnce()
    {
        var (account, first, _, _) = AddAccount();
        var session = fixture.Cluster.GrainFactory.GetGrain<IPlayerSessionGrain>(first);
        await ResolveAsync(account, first);

        var ended = await Admin.EndSessionAsync(first);

        Assert.True(ended.Changed, ended.Message);
        Assert.Equal(SessionState.Offline, (await session.GetAsync()).State);
        Assert.False((await Admin.EndSessionAsync(first)).Changed);
        Assert.Equal(ClusterError.NotFound, (await Assert.ThrowsAsync<ClusterException>(() => Admin.EndSessionAsync(999_999_998))).Code);
    }
}
