using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>Session grains grant one ticket at a time, claimed once, by the right host, at the current epoch, in time.</summary>
[Collection(InMemoryCluster.Name)]
public sealed class TicketGrantTests(InMemoryClusterFixture fixture)
{
    private static int _nextAccount = 3_000_000, _nextChar = 500_000, _nextMap;

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    /// <summary>A fresh account with one character whose last map is a fresh map, running on <c>hostId</c> if given.</summary>
    private async Task<(int Account, int Char, string Map, MapAssignment? Assignment)> NewPlayerAsync(string? hostId = "h00000000000000000001")
    {
        int account = Interlocked.Increment(ref _nextAccount), character = Interlocked.Increment(ref _nextChar);
        string map = $"tmap{Interlocked.Increment(ref _nextMap)}";
        InMemoryClusterFixture.Accounts.Add(new AccountRecord(account, $"user{account}", "secret", 'F', 0));
        InMemoryClusterFixture.Accounts.Add(new CharacterSummary(character, account, 0, $"Char{character}", 0, 1, map, 150, 180));
        MapAssignment? assignment = null;
        if (hostId is not null)
        {
            assignment = await Grains.PlaceOnAsync(map, hostId, HostKind.P2P, "198.51.100.7:6121");
            await Grains.GetGrain<IMapGrain>(map).InstanceStateAsync(hostId, assignment.Epoch, MapInstanceState.Running, 6150, 1);
        }
        return (account, character, map, assignment);
    }

    private IPlayerSessionGrain Session(int charId) => Grains.GetGrain<IPlayerSessionGrain>(charId);

    private static async Task<ClusterError> CodeOf(Func<Task> call) => (await Assert.ThrowsAsync<ClusterException>(call)).Code;

    [Fact]
    public async Task TicketIsGrantedForTheLastMapAndClaimedOnce()
    {
        var (account, character, map, assignment) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        Assert.Equal((map, assignment!.HostId, assignment.Epoch, "198.51.100.7:6150"), (grant.Map, grant.HostId, grant.Epoch, grant.Endpoint));
        Assert.Equal(16, grant.Nonce.Length);
        Assert.Equal(TimeSpan.FromSeconds(60), grant.ExpiresAt - grant.IssuedAt);
        Assert.Equal(SessionState.Resolving, (await Session(character).GetAsync()).State);

        var on = await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        Assert.Equal((SessionState.OnMap, map, grant.HostId, grant.Epoch), (on.State, on.Map, on.HostId, on.Epoch));
        Assert.Equal(ClusterError.TicketUsed, await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce)));
    }

    [Fact]
    public async Task LogoutClearsTheLocationAndAnOfflineCharacterIsNeitherClaimedNorMoved()
    {
        var (account, character, map, assignment) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        var off = await Session(character).LogoutAsync();
        Assert.Equal((SessionState.Offline, (string?)null, (string?)null), (off.State, off.Map, off.HostId));

        Assert.Equal(ClusterError.TicketUsed, await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce)));
        Assert.Equal(ClusterError.InvalidTransition, await CodeOf(() => Session(character).MoveAsync(assignment!.HostId, map, assignment.Epoch, map, Progress)));
        Assert.Equal(SessionState.Offline, (await Session(character).GetAsync()).State);
    }

    [Fact]
    public async Task RequestsForTheWrongAccountCharacterOrMapAreRefused()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var (otherAccount, _, otherMap, _) = await NewPlayerAsync();
        Assert.Equal(ClusterError.IdentityMismatch, await CodeOf(() => Session(character).RequestTicketAsync(otherAccount, map)));
        Assert.Equal(ClusterError.NotFound, await CodeOf(() => Session(999_999_999).RequestTicketAsync(account, map)));
        Assert.Equal(ClusterError.InvalidTransition, await CodeOf(() => Session(character).RequestTicketAsync(account, otherMap)));
        Assert.Equal(ClusterError.InvalidArgument, await CodeOf(() => Session(character).RequestTicketAsync(account, "no such map!")));
        Assert.Equal(ClusterError.InvalidArgument, await CodeOf(() => Session(character).RequestTicketAsync(0, map)));
        Assert.Equal(SessionState.Offline, (await Session(character).GetAsync()).State);
    }

    [Fact]
    public async Task MapWithoutARunningInstanceIsUnavailableAndChangesNothing()
    {
        var (account, character, map, _) = await NewPlayerAsync(hostId: null);
        Assert.Equal(ClusterError.MapUnavailable, await CodeOf(() => Session(character).RequestTicketAsync(account, map)));
        Assert.Equal(SessionState.Offline, (await Session(character).GetAsync()).State);

        // Assigned but the instance is not running yet: still unavailable.
        await Grains.PlaceOnAsync(map, "h00000000000000000002", HostKind.Vps, "203.0.113.9:6121");
        Assert.Equal(ClusterError.MapUnavailable, await CodeOf(() => Session(character).RequestTicketAsync(account, map)));
    }

    [Fact]
    public async Task ResolvingADisabledMapIsRefusedSayingAnOperatorDisabledIt()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        await Grains.GetGrain<IMapGrain>(map).SetDisabledAsync(true);

        var refused = await Assert.ThrowsAsync<ClusterException>(() => Session(character).RequestTicketAsync(account, map));

        Assert.Equal(ClusterError.MapUnavailable, refused.Code);
        Assert.Contains("disabled by an operator", refused.Message);
        Assert.DoesNotContain("retry shortly", refused.Message); // it is back only when an operator enables it
        Assert.Equal(SessionState.Offline, (await Session(character).GetAsync()).State);
    }

    [Fact]
    public async Task ClaimsByTheWrongHostEpochOrNonceAreRefused()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        Assert.Equal(ClusterError.IdentityMismatch, await CodeOf(() => Session(character).ClaimTicketAsync("h99999999999999999999", map, grant.Epoch, grant.Nonce)));
        Assert.Equal(ClusterError.StaleEpoch, await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch + 1, grant.Nonce)));
        Assert.Equal(ClusterError.TicketUsed, await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, new byte[16])));
        Assert.Equal(ClusterError.TicketUsed, await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, [])));
        // None of those used the ticket up.
        Assert.Equal(SessionState.OnMap, (await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce)).State);
    }

    [Fact]
    public async Task TicketForAMapThatMovedSinceIsStale()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        await Grains.PlaceOnAsync(map, "h00000000000000000003", HostKind.Vps, "203.0.113.9:6121");
        Assert.Equal(ClusterError.StaleEpoch, await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce)));
    }

    [Fact]
    public async Task ARepeatedResolveGetsTheOutstandingTicketAgain()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var first = await Session(character).RequestTicketAsync(account, map);
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await Session(character).RequestTicketAsync(account, map);
        Assert.Equal(first.Nonce, second.Nonce);
        Assert.Equal((first.IssuedAt, first.ExpiresAt, first.Endpoint, first.Epoch), (second.IssuedAt, second.ExpiresAt, second.Endpoint, second.Epoch));
        Assert.Equal(SessionState.OnMap, (await Session(character).ClaimTicketAsync(second.HostId, map, second.Epoch, second.Nonce)).State);
        Assert.Equal(ClusterError.TicketUsed, await CodeOf(() => Session(character).ClaimTicketAsync(first.HostId, map, first.Epoch, first.Nonce)));
    }

    [Fact]
    public async Task ATicketPastHalfItsLifetimeIsReplacedAndTheOlderOneRefused()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var first = await Session(character).RequestTicketAsync(account, map);
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(31)); // lifetime 60 s
        var second = await Session(character).RequestTicketAsync(account, map);
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.Equal(ClusterError.TicketUsed, await CodeOf(() => Session(character).ClaimTicketAsync(first.HostId, map, first.Epoch, first.Nonce)));
        Assert.Equal(SessionState.OnMap, (await Session(character).ClaimTicketAsync(second.HostId, map, second.Epoch, second.Nonce)).State);
    }

    [Fact]
    public async Task ATicketToWhereTheMapNoLongerRunsIsReplaced()
    {
        var (account, character, map, assignment) = await NewPlayerAsync();
        var mapGrain = Grains.GetGrain<IMapGrain>(map);
        var first = await Session(character).RequestTicketAsync(account, map);

        // The instance restarted on another port: same host and epoch, new endpoint.
        await mapGrain.InstanceStateAsync(assignment!.HostId, assignment.Epoch, MapInstanceState.Running, 6151, 2);
        var second = await Session(character).RequestTicketAsync(account, map);
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.EndsWith(":6151", second.Endpoint);

        // The map moved to another host: a new epoch.
        var moved = await Grains.PlaceOnAsync(map, "h00000000000000000002", HostKind.Vps, "198.51.100.8:6121");
        await mapGrain.InstanceStateAsync(moved.HostId, moved.Epoch, MapInstanceState.Running, 6160, 1);
        var third = await Session(character).RequestTicketAsync(account, map);
        Assert.NotEqual(second.Nonce, third.Nonce);
        Assert.Equal((moved.HostId, moved.Epoch), (third.HostId, third.Epoch));
        Assert.Equal(SessionState.OnMap, (await Session(character).ClaimTicketAsync(third.HostId, map, third.Epoch, third.Nonce)).State);
    }

    [Fact]
    public async Task AnUnclaimedTicketExpiresIntoAFailedMoveNotAStuckCharacter()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(66));
        // TicketExpired if the claim comes first; TicketUsed once the grain's expiry timer has retired the ticket.
        Assert.Contains(await CodeOf(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce)),
            new[] { ClusterError.TicketExpired, ClusterError.TicketUsed });
        var after = await Session(character).GetAsync();
        Assert.Equal(SessionState.Offline, after.State);
        Assert.Null(after.TargetMap);
        // The player simply resolves again.
        var again = await Session(character).RequestTicketAsync(account, map);
        Assert.Equal(SessionState.OnMap, (await Session(character).ClaimTicketAsync(again.HostId, map, again.Epoch, again.Nonce)).State);
    }

    [Fact]
    public async Task TheExpiryTimerFollowsTheNewestTicket()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        await Session(character).RequestTicketAsync(account, map);
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(40));
        await Session(character).RequestTicketAsync(account, map); // valid until 100 s (+5 s skew)

        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(30)); // past the first ticket's expiry, not the second's
        Assert.Equal(SessionState.Resolving, (await Session(character).GetAsync()).State);

        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(40)); // past the second's: only the timer can notice
        var now = await Eventually.HoldsAsync(() => Session(character).GetAsync(), s => s.State == SessionState.Offline, "the session offline");
        Assert.Equal((SessionState.Offline, (string?)null), (now.State, now.TargetMap));
    }

    [Fact]
    public async Task ACharacterOnAMapCanBeRoutedBackOntoItAfterItsHostChanged()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);

        // Its host dies; the map moves to a VPS; the client comes back for its map.
        var moved = await Grains.PlaceOnAsync(map, "h00000000000000000004", HostKind.Vps, "203.0.113.9:6121");
        await Grains.GetGrain<IMapGrain>(map).InstanceStateAsync(moved.HostId, moved.Epoch, MapInstanceState.Running, 6200, 1);
        var back = await Session(character).RequestTicketAsync(account, map);
        Assert.Equal(("h00000000000000000004", "203.0.113.9:6200"), (back.HostId, back.Endpoint));
        Assert.Equal(SessionState.Moving, (await Session(character).GetAsync()).State);
        var on = await Session(character).ClaimTicketAsync(back.HostId, map, back.Epoch, back.Nonce);
        Assert.Equal((SessionState.OnMap, moved.HostId, moved.Epoch), (on.State, on.HostId, on.Epoch));
    }

    [Fact]
    public async Task AFirstLoginEntersWithTheProgressOfTheCharactersRow()
    {
        // Before, the session made a first login's character from the row's place and base level only (job level 1,
        // exp, zeny, hp and sp 0): the host entered it with nothing, and its next save wrote those zeros to rAthena.
        var (account, character, map, _) = await NewPlayerAsync();
        var row = (await InMemoryClusterFixture.Characters.LoadAsync(character))!;
        var progressed = row.Data with { BaseLevel = 12, JobLevel = 7, BaseExp = 5_000, JobExp = 700, Zeny = 1_234, Hp = 321, Sp = 45 };
        var written = await InMemoryClusterFixture.Characters.WriteAsync(new CharacterWrite(
            character, "h00000000000000000001", map, 1, Guid.NewGuid().ToByteArray(), row.Version, progressed, null, "save"));
        Assert.Equal(WriteStatus.Applied, written.Status);

        var grant = await Session(character).RequestTicketAsync(account, map);
        var on = await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        var c = on.Character!;
        Assert.Equal((150, 180, 12, 7, 5_000UL, 700UL, 1_234U, 321U, 45U),
            (c.X, c.Y, c.BaseLevel, c.JobLevel, c.BaseExp, c.JobExp, c.Zeny, c.Hp, c.Sp));
    }

    private static readonly CharacterSnapshot Progress = new(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 3_210, 456);

    /// <summary>A player on its last map at <c>h…01</c>, and a second running map at <c>h…05</c>.</summary>
    private async Task<(int Account, int Char, string From, MapAssignment At, string To)> PlayerOnMapAsync()
    {
        var (account, character, map, assignment) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        string to = $"tmap{Interlocked.Increment(ref _nextMap)}";
        var there = await Grains.PlaceOnAsync(to, "h00000000000000000005", HostKind.P2P, "192.0.2.5:6121");
        await Grains.GetGrain<IMapGrain>(to).InstanceStateAsync(there.HostId, there.Epoch, MapInstanceState.Running, 6300, 1);
        return (account, character, map, assignment!, to);
    }

    [Fact]
    public async Task AMoveToADisabledMapIsRefusedSayingAnOperatorDisabledItAndTheCharacterStays()
    {
        var (_, character, from, at, to) = await PlayerOnMapAsync();
        await Grains.GetGrain<IMapGrain>(to).SetDisabledAsync(true);

        var refused = await Assert.ThrowsAsync<ClusterException>(() => Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress));

        Assert.Equal(ClusterError.MapUnavailable, refused.Code);
        Assert.Contains("disabled by an operator", refused.Message);
        var still = await Session(character).GetAsync();
        Assert.Equal((SessionState.OnMap, from), (still.State, still.Map));
    }

    [Fact]
    public async Task AMoveSavesTheCharacterFirstThenGrantsTheDestination()
    {
        var (_, character, from, at, to) = await PlayerOnMapAsync();
        var grant = await Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress);
        Assert.Equal((to, "h00000000000000000005", "192.0.2.5:6300"), (grant.Map, grant.HostId, grant.Endpoint));
        var moving = await Session(character).GetAsync();
        Assert.Equal((SessionState.Moving, to, Progress), (moving.State, moving.TargetMap, moving.Character));

        var arrived = await Session(character).ClaimTicketAsync(grant.HostId, to, grant.Epoch, grant.Nonce);
        Assert.Equal((SessionState.OnMap, to, Progress), (arrived.State, arrived.Map, arrived.Character));
    }

    [Fact]
    public async Task OnlyTheHostTheCharacterIsOnCanMoveItAndOnlyUnderItsEpoch()
    {
        var (_, character, from, at, to) = await PlayerOnMapAsync();
        Assert.Equal(ClusterError.InvalidTransition, await CodeOf(() => Session(character).MoveAsync("h99999999999999999999", from, at.Epoch, to, Progress)));
        Assert.Equal(ClusterError.InvalidTransition, await CodeOf(() => Session(character).MoveAsync(at.HostId, to, at.Epoch, from, Progress)));
        Assert.Equal(ClusterError.StaleEpoch, await CodeOf(() => Session(character).MoveAsync(at.HostId, from, at.Epoch - 1, to, Progress)));
        Assert.Equal(ClusterError.InvalidArgument, await CodeOf(() => Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress with { X = 5000 })));
        Assert.Equal(ClusterError.InvalidArgument, await CodeOf(() => Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress with { BaseLevel = 0 })));

        // The map moved to another host since: the old host is deposed and moves nobody.
        await Grains.PlaceOnAsync(from, "h00000000000000000006", HostKind.Vps, "203.0.113.9:6121");
        Assert.Equal(ClusterError.StaleEpoch, await CodeOf(() => Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress)));
        var still = await Session(character).GetAsync();
        Assert.Equal((SessionState.OnMap, from), (still.State, still.Map));
        Assert.NotEqual(Progress, still.Character);
    }

    [Fact]
    public async Task AMoveToAMapNoHostRunsKeepsTheCharacterWhereItIsWithItsStateSaved()
    {
        var (_, character, from, at, _) = await PlayerOnMapAsync();
        var entered = (await Session(character).GetAsync()).Character!;
        Assert.Equal(ClusterError.MapUnavailable, await CodeOf(() => Session(character).MoveAsync(at.HostId, from, at.Epoch, "nowhere", Progress)));
        var after = await Session(character).GetAsync();
        // Its progress is saved; it stands where it stood (the move's position is the cell it would have entered).
        Assert.Equal((SessionState.OnMap, from, Progress with { X = entered.X, Y = entered.Y }), (after.State, after.Map, after.Character));
    }

    [Fact]
    public async Task APlayerWhoLeftItsHostGoesOfflineUnlessItHasMovedOnSince()
    {
        var (_, character, from, at, to) = await PlayerOnMapAsync();
        // A stale report (old epoch, or another host) changes nothing.
        Assert.Equal(SessionState.OnMap, (await Session(character).LeftAsync(at.HostId, from, at.Epoch - 1)).State);
        Assert.Equal(SessionState.OnMap, (await Session(character).LeftAsync("h99999999999999999999", from, at.Epoch)).State);
        // Once it is moving elsewhere, the old host's report is too late to matter.
        var grant = await Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress);
        Assert.Equal(SessionState.Moving, (await Session(character).LeftAsync(at.HostId, from, at.Epoch)).State);
        var there = await Session(character).ClaimTicketAsync(grant.HostId, to, grant.Epoch, grant.Nonce);
        var gone = await Session(character).LeftAsync(grant.HostId, to, grant.Epoch);
        Assert.Equal((SessionState.Offline, (string?)null, Progress), (gone.State, gone.Map, gone.Character));
        GC.KeepAlive(there);
    }

    [Fact]
    public async Task APlayerThatLeftWhileAskingForItsOwnMapAgainEndsOfflineWhenTheTicketIsNeverUsed()
    {
        // Seen in the chaos suite: a player on its map resolves that map again (its connection looked lost), its old
        // connection then ends (PLAYER_LEFT while the session is Moving), and the new ticket is never used. The
        // failed move must not put the character back on a host that no longer holds it: it stayed OnMap for good.
        var (account, character, from, at, _) = await PlayerOnMapAsync();
        var again = await Session(character).RequestTicketAsync(account, from);
        Assert.Equal(SessionState.Moving, (await Session(character).GetAsync()).State);
        var left = await Session(character).LeftAsync(at.HostId, from, at.Epoch);
        Assert.Equal(SessionState.Moving, left.State); // the new ticket may still be used
        Assert.Null(left.HostId);

        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(66));
        Assert.Contains(await CodeOf(() => Session(character).ClaimTicketAsync(again.HostId, from, again.Epoch, again.Nonce)),
            new[] { ClusterError.TicketExpired, ClusterError.TicketUsed });
        var after = await Session(character).GetAsync();
        Assert.Equal((SessionState.Offline, (string?)null), (after.State, after.HostId));
    }

    [Fact]
    public async Task APlayerThatLeftWhileAskingForItsOwnMapAgainPlaysOnWhenItUsesTheTicket()
    {
        var (account, character, from, at, _) = await PlayerOnMapAsync();
        var again = await Session(character).RequestTicketAsync(account, from);
        await Session(character).LeftAsync(at.HostId, from, at.Epoch);
        var on = await Session(character).ClaimTicketAsync(again.HostId, from, again.Epoch, again.Nonce);
        Assert.Equal((SessionState.OnMap, from, at.HostId, at.Epoch), (on.State, on.Map, on.HostId, on.Epoch));
    }

    private static ClusterError? ClusterErrorIn(Exception? e)
    {
        for (int depth = 0; e is not null && depth < 16; depth++, e = e.InnerException)
            if (e is ClusterException cluster) return cluster.Code;
        return null;
    }

    [Fact]
    public async Task AWarpWhoseSaveFailsLeavesTheCharacterWhereItWasAndItsNextResolveSucceeds()
    {
        var (account, character, from, at, to) = await PlayerOnMapAsync();
        var before = await Session(character).GetAsync();
        var id = Session(character).GetGrainId();
        InMemoryClusterFixture.Faults.FailWritesOf(id);
        Exception? refused;
        try
        {
            refused = await Record.ExceptionAsync(() => Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress));
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(id);
        }
        Assert.Equal(ClusterError.StoreUnavailable, ClusterErrorIn(refused));
        var after = await Session(character).GetAsync();
        Assert.Equal(before with { UpdatedAt = after.UpdatedAt }, after);
        Assert.Equal((SessionState.OnMap, from, (string?)null), (after.State, after.Map, after.TargetMap));

        // The next RESOLVE of its map succeeds at once (it was refused with InvalidTransition "… it is Moving").
        var again = await Session(character).RequestTicketAsync(account, from);
        Assert.Equal((from, at.HostId), (again.Map, again.HostId));
    }

    [Fact]
    public async Task AClaimOrLogoutWhoseSaveFailsChangesNothing()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        var id = Session(character).GetGrainId();
        InMemoryClusterFixture.Faults.FailWritesOf(id);
        try
        {
            Assert.Equal(ClusterError.StoreUnavailable, ClusterErrorIn(await Record.ExceptionAsync(() => Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce))));
            Assert.Equal(SessionState.Resolving, (await Session(character).GetAsync()).State);
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(id);
        }
        // The ticket was not used up by the claim that failed.
        var on = await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        Assert.Equal(SessionState.OnMap, on.State);

        InMemoryClusterFixture.Faults.FailWritesOf(id);
        try
        {
            Assert.Equal(ClusterError.StoreUnavailable, ClusterErrorIn(await Record.ExceptionAsync(() => Session(character).LogoutAsync())));
            Assert.Equal((SessionState.OnMap, map), ((await Session(character).GetAsync()).State, (await Session(character).GetAsync()).Map));
        }
        finally
        {
            InMemoryClusterFixture.Faults.Heal(id);
        }
        Assert.Equal(SessionState.Offline, (await Session(character).LogoutAsync()).State);
    }

    [Fact]
    public async Task AWarpedCharacterThatLeavesIsOfflineOnTheMapItsSavedPositionIsOn()
    {
        var (account, character, from, at, to) = await PlayerOnMapAsync();
        var grant = await Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress); // it enters `to` at (119, 59)
        await Session(character).ClaimTicketAsync(grant.HostId, to, grant.Epoch, grant.Nonce);
        Assert.Equal(SessionState.Offline, (await Session(character).LeftAsync(grant.HostId, to, grant.Epoch)).State);

        // rAthena's row follows: last_map, last_x, last_y are the session's, together.
        var row = await RowAsync(character, r => r.LastMap == to);
        Assert.Equal((to, Progress.X, Progress.Y), (row.LastMap, row.Data.X, row.Data.Y));

        // It resolves onto that map, and enters it where it was saved.
        var back = await Session(character).RequestTicketAsync(account, to);
        var on = await Session(character).ClaimTicketAsync(back.HostId, to, back.Epoch, back.Nonce);
        Assert.Equal((to, Progress.X, Progress.Y), (on.Map, on.Character!.X, on.Character.Y));
        Assert.Equal(ClusterError.InvalidTransition, await CodeOf(async () =>
        {
            await Session(character).LogoutAsync();
            await Session(character).RequestTicketAsync(account, from);
        }));
    }

    [Fact]
    public async Task AWarpThatNeverArrivesPutsTheCharacterBackWhereItStood()
    {
        var (account, character, from, at, to) = await PlayerOnMapAsync();
        var entered = (await Session(character).GetAsync()).Character!;
        await Session(character).MoveAsync(at.HostId, from, at.Epoch, to, Progress);
        // The ticket lapses unused: the session's expiry timer, on the fake clock, fails the move.
        InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(66));
        var back = await Eventually.HoldsAsync(() => Session(character).GetAsync(), s => s.State == SessionState.OnMap, "the warp failed back");
        Assert.Equal((SessionState.OnMap, from, entered.X, entered.Y, Progress.BaseExp),
            (back.State, back.Map, back.Character!.X, back.Character.Y, back.Character.BaseExp));
        await Session(character).LeftAsync(at.HostId, from, at.Epoch);

        var row = await RowAsync(character, r => r.Version > 0);
        Assert.Equal((from, entered.X, entered.Y), (row.LastMap, row.Data.X, row.Data.Y));
        var again = await Session(character).RequestTicketAsync(account, from);
        var on = await Session(character).ClaimTicketAsync(again.HostId, from, again.Epoch, again.Nonce);
        Assert.Equal((from, entered.X, entered.Y), (on.Map, on.Character!.X, on.Character.Y));
    }

    [Fact]
    public async Task ACharacterWhoseHostLostTheMapAndDidNotComeBackGoesOfflineAndItsRowWithIt()
    {
        var (account, character, map, _) = await NewPlayerAsync();
        var grant = await Session(character).RequestTicketAsync(account, map);
        await Session(character).ClaimTicketAsync(grant.HostId, map, grant.Epoch, grant.Nonce);
        var (otherAccount, stays, otherMap, _) = await NewPlayerAsync();
        var other = await Session(stays).RequestTicketAsync(otherAccount, otherMap);
        await Session(stays).ClaimTicketAsync(other.HostId, otherMap, other.Epoch, other.Nonce);

        // The map moves to another host; the deposed one never reports the player gone, and the player never resolves again.
        await Grains.PlaceOnAsync(map, "h00000000000000000007", HostKind.Vps, "203.0.113.9:6121");
        var lifetimes = -1; // the first read is before any lifetime passed
        await Eventually.HoldsAsync(() => Session(character).GetAsync(), s => s.State == SessionState.Offline, $"the character off {map}",
            beforeRead: () => { if (++lifetimes > 0) InMemoryClusterFixture.Time.Advance(TimeSpan.FromSeconds(61)); });
        Assert.InRange(lifetimes, 2, 4); // one lifetime to notice, one more for the player to come back
        await RowAsync(character, _ => InMemoryClusterFixture.Characters.Audit.Any(a => a.CharId == character && a.HostId == "coordinator" && a.Operation == "offline"));
        // A character whose host still holds its map stays.
        Assert.Equal(SessionState.OnMap, (await Session(stays).GetAsync()).State);
    }

    /// <summary>The character's row once <paramref name="done"/> holds: the session writes it from a timer, on the fake clock.</summary>
    private static async Task<StoredCharacter> RowAsync(int character, Func<StoredCharacter, bool> done) =>
        (await Eventually.HoldsAsync(async () => (await InMemoryClusterFixture.Characters.LoadAsync(character))!, done, $"the row of char {character}",
            beforeRead: () => InMemoryClusterFixture.Time.Advance(TimeSpan.FromMilliseconds(100))))!;
}
