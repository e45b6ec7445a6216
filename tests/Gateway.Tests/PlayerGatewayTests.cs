using P2PCluster.Client;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>Players through the real gateway: LOGIN, RESOLVE → ROUTE with a ticket the host can verify, CLAIM_TICKET.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PlayerGatewayTests(GatewayFixture fixture)
{
    private static int _nextAccount = 4_000_000, _nextChar = 700_000, _nextMap;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private (string User, uint Account, uint Char, string Map) NewPlayer(int state = 0)
    {
        int account = Interlocked.Increment(ref _nextAccount), character = Interlocked.Increment(ref _nextChar);
        string map = $"gmap{Interlocked.Increment(ref _nextMap)}";
        fixture.Accounts.Add(new AccountRecord(account, $"user{account}", "pw-ok", 'F', state));
        fixture.Accounts.Add(new CharacterSummary(character, account, 0, $"Char{character}", 4001, 55, map, 100, 120));
        return ($"user{account}", (uint)account, (uint)character, map);
    }

    private Task<PlayerClient> ConnectAsync() => PlayerClient.ConnectAsync(fixture.Endpoint, [fixture.CoordinatorPublicKey]);

    private static async Task<ProtocolError> FatalCodeAsync(CoordinatorConnection connection)
    {
        var e = await Assert.ThrowsAsync<ProtocolException>(() => connection.Completion.WaitAsync(Wait));
        return e.Code;
    }

    private static async Task<T> NextAsync<T>(CoordinatorConnection connection) where T : IPacket<T>
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var packet = await connection.Incoming.ReadAsync(timeout.Token);
            if (packet.TryRead(out T value)) return value;
        }
    }

    [Fact]
    public async Task LoginListsTheAccountsCharacters()
    {
        var player = NewPlayer();
        await using var client = await ConnectAsync();
        var ok = await client.LoginAsync(player.User, "pw-ok");
        Assert.Equal(player.Account, ok.AccountId);
        Assert.Equal((byte)'F', ok.Sex);
        var character = Assert.Single(ok.Characters);
        Assert.Equal(new CharacterEntry(player.Char, 0, 4001, 55, $"Char{player.Char}", player.Map, 100, 120), character);
    }

    [Fact]
    public async Task WrongPasswordsAreRefusedUntilTheLimitThenTheConnectionCloses()
    {
        var player = NewPlayer();
        using var meters = fixture.RecordMeters();
        await using var client = await ConnectAsync();
        for (int i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => client.LoginAsync(player.User, "wrong"));
            Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.LoginFailed, refused.Code);
        }
        // Unknown users get the same answer as wrong passwords.
        await Assert.ThrowsAnyAsync<Exception>(() => client.LoginAsync("nobody-here", "pw-ok"));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.LoginFailed, await FatalCodeAsync(client.Connection));
        Assert.Equal(3, meters.Sum("p2p.logins", ("outcome", "failed")));
        Assert.Equal(1, meters.Sum("p2p.gateway.rejections", ("reason", "LoginFailed")));
    }

    [Fact]
    public async Task BlockedAccountIsRefused()
    {
        var player = NewPlayer(state: 5);
        using var meters = fixture.RecordMeters();
        await using var client = await ConnectAsync();
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => client.LoginAsync(player.User, "pw-ok"));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.AccountBlocked, refused.Code);
        // The connection stays usable for a correct login of another account.
        var other = NewPlayer();
        Assert.Equal(other.Account, (await client.LoginAsync(other.User, "pw-ok")).AccountId);
        Assert.Equal(1, meters.Sum("p2p.logins", ("outcome", "blocked")));
        Assert.Equal(1, meters.Sum("p2p.logins", ("outcome", "ok")));
    }

    [Fact]
    public async Task PlayerPacketsOutOfPlaceEndTheConnection()
    {
        var player = NewPlayer();
        await using (var client = await ConnectAsync())
        {
            await client.Connection.SendAsync(new ResolvePacket(1, player.Char, player.Map)); // before LOGIN
            Assert.Equal(ProtocolError.UnexpectedPacket, await FatalCodeAsync(client.Connection));
        }
        await using (var client = await ConnectAsync())
        {
            await client.LoginAsync(player.User, "pw-ok");
            await client.Connection.SendAsync(new LoginPacket(player.User, "pw-ok")); // a second LOGIN
            Assert.Equal(ProtocolError.UnexpectedPacket, await FatalCodeAsync(client.Connection));
        }
        using var identity = SigningIdentity.Generate();
        await using (var host = await fixture.ConnectAsync(identity))
        {
            await host.SendAsync(new LoginPacket(player.User, "pw-ok")); // hosts do not log in as players
            Assert.Equal(ProtocolError.UnexpectedPacket, await FatalCodeAsync(host));
        }
        await using (var client = await ConnectAsync())
        {
            await client.LoginAsync(player.User, "pw-ok");
            await client.Connection.SendAsync(new ResolvePacket(2, player.Char, "bad map!"));
            Assert.Equal(ProtocolError.Malformed, await FatalCodeAsync(client.Connection));
        }
    }

    [Fact]
    public async Task ResolveRoutesToTheHostWithATicketItVerifiesAndClaimsOnce()
    {
        var player = NewPlayer();
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using var host = await fixture.ConnectAsync(identity);
        var map = fixture.Grains.GetGrain<IMapGrain>(player.Map);
        var assignment = await fixture.Grains.PlaceOnAsync(player.Map, hostId, HostKind.P2P, "127.0.0.1:6121");
        await map.InstanceStateAsync(hostId, assignment.Epoch, MapInstanceState.Running, 6150, 1);

        await using var client = await ConnectAsync();
        await client.LoginAsync(player.User, "pw-ok");
        var route = await client.ResolveAsync(player.Char, player.Map);
        Assert.Equal((player.Char, player.Map, hostId, "127.0.0.1:6150", (ulong)assignment.Epoch, (byte)0),
            (route.CharId, route.Map, route.HostId, route.Endpoint, route.Epoch, route.HostKind));
        // A retried RESOLVE gets the outstanding ticket again, byte for byte, on this connection and on another.
        Assert.Equal(route.Ticket, (await client.ResolveAsync(player.Char, player.Map)).Ticket);
        await using (var other = await ConnectAsync())
        {
            await other.LoginAsync(player.User, "pw-ok");
            Assert.Equal(route.Ticket, (await other.ResolveAsync(player.Char, player.Map)).Ticket);
        }

        // The host checks it offline, with only the coordinator's public key...
        var verifier = new TicketVerifier([fixture.CoordinatorPublicKey], hostId);
        Assert.Equal(TicketError.None, verifier.Verify(route.Ticket, m => m == player.Map ? (ulong)assignment.Epoch : null, out var ticket));
        Assert.Equal((player.Account, player.Char), (ticket.AccountId, ticket.CharId));
        Assert.Equal(route.ExpiresMs, ticket.ExpiresMs);

        // ...then claims it with the coordinator: once.
        using var meters = fixture.RecordMeters();
        await host.SendAsync(new ClaimTicketPacket(7, player.Char, player.Map, route.Epoch, ticket.Nonce));
        var admitted = await NextAsync<ClaimResultPacket>(host);
        // The host starts the character from its row: last position, level, exp, zeny, hp and sp (the embedded store seeds 40/11).
        Assert.Equal(new ClaimResultPacket(7, player.Char, ProtocolError.None, player.Account, new CharacterState(100, 120, 55, 1, 0, 0, 0, 40, 11)), admitted);
        await host.SendAsync(new ClaimTicketPacket(8, player.Char, player.Map, route.Epoch, ticket.Nonce));
        var again = await NextAsync<ClaimResultPacket>(host);
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.TicketUsed, again.Code);
        Assert.Equal(1, meters.Sum("p2p.tickets.claimed"));
        Assert.Equal(1, meters.Sum("p2p.tickets.refused", ("code", "TicketUsed")));

        var session = await fixture.Grains.GetGrain<IPlayerSessionGrain>((long)player.Char).GetAsync();
        Assert.Equal((SessionState.OnMap, player.Map, hostId), (session.State, session.Map, session.HostId));
    }

    [Fact]
    public async Task AnotherHostCannotClaimTheTicket()
    {
        var player = NewPlayer();
        using var owner = SigningIdentity.Generate();
        using var thief = SigningIdentity.Generate();
        string ownerId = HandshakeCrypto.HostId(owner.PublicKey);
        var map = fixture.Grains.GetGrain<IMapGrain>(player.Map);
        var assignment = await fixture.Grains.PlaceOnAsync(player.Map, ownerId, HostKind.P2P, "127.0.0.1:6121");
        await map.InstanceStateAsync(ownerId, assignment.Epoch, MapInstanceState.Running, 6150, 1);
        using var meters = fixture.RecordMeters();
        await using var client = await ConnectAsync();
        await client.LoginAsync(player.User, "pw-ok");
        var route = await client.ResolveAsync(player.Char, player.Map);
        Assert.True(Ticket.TryParse(route.Ticket, out var ticket, out _));

        await using var other = await fixture.ConnectAsync(thief);
        await other.SendAsync(new ClaimTicketPacket(1, player.Char, player.Map, route.Epoch, ticket.Nonce));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.IdentityMismatch, (await NextAsync<ClaimResultPacket>(other)).Code);
        Assert.Equal(1, meters.Sum("p2p.tickets.issued"));
        Assert.Equal(1, meters.Sum("p2p.tickets.refused", ("code", "IdentityMismatch")));
        Assert.Equal(0, meters.Sum("p2p.tickets.claimed"));
        Assert.Equal(1, meters.Count("p2p.gateway.resolve.duration"));
        Assert.True(meters.Count("p2p.gateway.handshake.duration") >= 2, "the client's and the thief's handshakes");
    }

    [Fact]
    public async Task ResolveRefusalsKeepTheConnection()
    {
        var player = NewPlayer();
        var stranger = NewPlayer();
        await using var client = await ConnectAsync();
        await client.LoginAsync(player.User, "pw-ok");

        async Task<ProtocolError> RefusedAsync(uint charId, string map) =>
            (await Assert.ThrowsAsync<RequestRefusedException>(() => client.ResolveAsync(charId, map))).Code;

        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.MapUnavailable, await RefusedAsync(player.Char, player.Map));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.IdentityMismatch, await RefusedAsync(stranger.Char, stranger.Map));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.InvalidTransition, await RefusedAsync(player.Char, stranger.Map));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.NotFound, await RefusedAsync(999_999_999, player.Map));
        await client.Connection.PingAsync(throughCluster: true);
    }

    [Fact]
    public async Task AReportAboutAMapTheCharacterMayNotGoToIsRefusedWithInvalidTransition()
    {
        // docs/protocol.md §6, REPORT_UNREACHABLE: the route is granted as for RESOLVE, so it is refused the same way.
        var player = NewPlayer();
        var elsewhere = NewPlayer();
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using var host = await fixture.ConnectAsync(identity);
        var map = fixture.Grains.GetGrain<IMapGrain>(player.Map);
        var assignment = await fixture.Grains.PlaceOnAsync(player.Map, hostId, HostKind.P2P, "127.0.0.1:6121");
        await map.InstanceStateAsync(hostId, assignment.Epoch, MapInstanceState.Running, 6150, 1);

        await using var client = await ConnectAsync();
        await client.LoginAsync(player.User, "pw-ok");
        var route = await client.ResolveAsync(player.Char, player.Map);
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => client.ReportUnreachableAsync(player.Char, route.Info with { Map = elsewhere.Map }));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.InvalidTransition, refused.Code);
        await client.Connection.PingAsync(throughCluster: true); // a REFUSED keeps the connection
    }

    [Fact]
    public async Task AReportAboutAHostThatIsGoneMovesTheMapAndRoutesToTheNewHostInOneRoundTrip()
    {
        var player = NewPlayer();
        var map = fixture.Grains.GetGrain<IMapGrain>(player.Map);
        // Critical: only VPS hosts qualify, so the map can only land on the VPS this test connects.
        await map.SetPolicyAsync(new MapPolicy(Critical: true, P2PAllowed: false, MaxPlayers: 50, MinScore: 0));
        const string gone = "h00000000000000000bad";
        var stale = await fixture.Grains.PlaceOnAsync(player.Map, gone, HostKind.Vps, "127.0.0.1:6121");
        await map.InstanceStateAsync(gone, stale.Epoch, MapInstanceState.Running, 6150, 1);
        await fixture.Grains.GoneUnheardAsync(stale);

        using var identity = SigningIdentity.Generate();
        var options = fixture.ClientOptions(identity);
        await using var vps = await CoordinatorConnection.ConnectAsync(fixture.Endpoint, new CoordinatorConnectionOptions
        {
            CoordinatorKeys = options.CoordinatorKeys, Role = PeerRole.HostAgent, Identity = identity, HostKind = 1, Endpoint = "127.0.0.1:6121",
        });
        await vps.SendAsync(new HostCapacityPacket(5, 100, 80, 85, 100));
        // Play the VPS agent: start whatever it is assigned.
        using var stop = new CancellationTokenSource(Wait);
        var agent = Task.Run(async () =>
        {
            // Other maps (the fixture's configured ones) may be placed here too: run only the player's.
            AssignMapPacket assign;
            do assign = await NextAsync<AssignMapPacket>(vps);
            while (assign.Map != player.Map);
            await vps.SendAsync(new MapStatePacket(assign.Map, assign.Epoch, MapRunState.Running, 6200));
            return assign;
        });

        await using var client = await ConnectAsync();
        await client.LoginAsync(player.User, "pw-ok");
        var route = await client.ResolveAsync(player.Char, player.Map);
        Assert.Equal(gone, route.HostId);

        var next = await client.ReportUnreachableAsync(player.Char, route.Info);
        var assigned = await agent.WaitAsync(Wait);
        Assert.Equal((HandshakeCrypto.HostId(identity.PublicKey), "127.0.0.1:6200", assigned.Epoch), (next.HostId, next.Endpoint, next.Epoch));
        Assert.True(next.Epoch > (ulong)stale.Epoch);
        var verifier = new TicketVerifier([fixture.CoordinatorPublicKey], next.HostId);
        Assert.Equal(TicketError.None, verifier.Verify(next.Ticket, m => m == player.Map ? next.Epoch : null, out _));

        // Reporting another account's character is refused, and counts against nobody.
        var stranger = NewPlayer();
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => client.ReportUnreachableAsync(stranger.Char, next.Info));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.IdentityMismatch, refused.Code);
    }
}
