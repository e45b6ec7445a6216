using Orleans.Core.Internal;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// Which tickets are written: a RESOLVE's ticket lives in the session's memory (its claim is what is written), a
/// warp's is written with the saved progress, and a RESOLVE that replaces a written ticket writes too.
/// </summary>
[Collection(InMemoryCluster.Name)]
public sealed class TicketWriteTests(InMemoryClusterFixture fixture)
{
    private static int _nextAccount = 3_800_000, _nextChar = 800_000, _nextMap;
    private static readonly CharacterSnapshot Progress = new(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 3_210, 456);

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private IPlayerSessionGrain Session(int charId) => Grains.GetGrain<IPlayerSessionGrain>(charId);

    /// <summary>A fresh account with one character whose last map is a fresh map running on a host of its own.</summary>
    private async Task<(int Account, int Char, string Map)> NewPlayerAsync()
    {
        int account = Interlocked.Increment(ref _nextAccount), character = Interlocked.Increment(ref _nextChar);
        string map = await RunningMapAsync("h00000000000000000w01", 6150);
        InMemoryClusterFixture.Accounts.Add(new AccountRecord(account, $"w{account}", "secret", 'F', 0));
        InMemoryClusterFixture.Accounts.Add(new CharacterSummary(character, account, 0, $"W{character}", 0, 1, map, 150, 180));
        return (account, character, map);
    }

    private async Task<string> RunningMapAsync(string hostId, int port)
    {
        string map = $"wmap{Interlocked.Increment(ref _nextMap)}";
        var at = await Grains.PlaceOnAsync(map, hostId, HostKind.P2P, "198.51.100.9:6121");
        await Grains.GetGrain<IMapGrain>(map).InstanceStateAsync(hostId, at.Epoch, MapInstanceState.Running, port, 1);
        return map;
    }

    /// <summary>The code of the <see cref="ClusterException"/> in <paramref name="e"/>: Orleans wraps a storage provider's.</summary>
    private static ClusterError? ClusterErrorIn(Exception? e)
    {
        for (int depth = 0; e is not null && depth < 16; depth++, e = e.InnerException)
            if (e is ClusterException cluster) return cluster.Code;
        return null;
    }

    [Fact]
    public async Task AResolveIsAnsweredWithoutAStateWriteAndItsTicketIsClaimedOnce()
    {
        var (account, character, map) = await NewPlayerAsync();
        var id = Session(character).GetGrainId();
        InMemoryClusterFixture.Faults.FailWritesOf(id);
        TicketGrant grant;
        try
        {
            // Before: every RESOLVE wrote the session, so a store that was down refused it (StoreUnavailable).
            grant = await Session(character).RequestTicketAsync(account, map);
            Assert.Equal(0, InMemoryClusterFixture.Faults.Refused(id));
            Assert.Equal(SessionState.Resolving, (await Session(character).GetAsync()).State);
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(id);
        }

        var on = await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        Assert.Equal((SessionState.OnMap, map), (on.State, on.Map));
        var again = await Assert.ThrowsAsync<ClusterException>(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce));
        Assert.Equal(ClusterError.TicketUsed, again.Code);
    }

    [Fact]
    public async Task AnUnwrittenTicketIsStillClaimedAfterTheSessionDeactivates()
    {
        var (account, character, map) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);

        // A silo shutting down deactivates its grains: the ticket is written then, and the next activation honours it.
        await Session(character).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var on = await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        Assert.Equal((SessionState.OnMap, map, grant.HostId), (on.State, on.Map, on.HostId));
    }

    [Fact]
    public async Task AnUnwrittenTicketThatExpiresWritesNothingAndPutsTheCharacterBackOnItsMap()
    {
        var (account, character, map) = await NewPlayerAsync();
        var first = await Session(character).RequestTicketAsync(account, map);
        await Session(character).ClaimTicketAsync(first.HostId, map, first.Epoch, first.Nonce);
        await Session(character).RequestTicketAsync(account, map); // its map again (the client thought it lost its host)
        Assert.Equal(SessionState.Moving, (await Session(character).GetAsync()).State);

        var id = Session(character).GetGrainId();
        InMemoryClusterFixture.Faults.FailWritesOf(id);
        try
        {
            // Before: the failed move was written, so with the store down the character stayed Moving.
            InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(66));
            var back = await Eventually.HoldsAsync(() => Session(character).GetAsync(), s => s.State == SessionState.OnMap, "the session back on its map");
            Assert.Equal((map, first.HostId, first.Epoch, (string?)null), (back.Map, back.HostId, back.Epoch, back.TargetMap));
            Assert.Equal(0, InMemoryClusterFixture.Faults.Refused(id));
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(id);
        }
    }

    [Fact]
    public async Task AResolveThatReplacesAWarpsWrittenTicketIsWrittenAndChangesNothingIfThatFails()
    {
        var (account, character, from) = await NewPlayerAsync();
        var first = await Session(character).RequestTicketAsync(account, from);
        await Session(character).ClaimTicketAsync(first.HostId, from, first.Epoch, first.Nonce);
        string to = await RunningMapAsync("h00000000000000000w02", 6300);
        var warp = await Session(character).MoveAsync(first.HostId, from, first.Epoch, to, Progress);

        // Past half its lifetime (60 s) the warp's ticket is replaced, not handed out again: that replacement is written,
        // or a silo death would bring the warp's ticket back.
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(31));
        var id = Session(character).GetGrainId();
        InMemoryClusterFixture.Faults.FailWritesOf(id);
        try
        {
            var refused = await Record.ExceptionAsync(() => Session(character).RequestTicketAsync(account, to));
            Assert.Equal(ClusterError.StoreUnavailable, ClusterErrorIn(refused));
            Assert.Equal(1, InMemoryClusterFixture.Faults.Refused(id));
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(id);
        }

        // Nothing changed: the warp's ticket is still the one to claim.
        var arrived = await Session(character).ClaimTicketAsync(warp.HostId, to, warp.Epoch, warp.Nonce);
        Assert.Equal((SessionState.OnMap, to, Progress), (arrived.State, arrived.Map, arrived.Character));
    }
}
