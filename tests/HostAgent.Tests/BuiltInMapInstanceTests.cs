using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>The built-in map instance over real loopback sockets: who it admits (ENTER with a ticket), who it refuses and why, and its limits.</summary>
public sealed class BuiltInMapInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly LogCollector _log = new(output);
    private readonly TestTickets _tickets = new();
    private readonly FakeClaimer _claimer = new();
    private readonly List<BuiltInMapInstance> _instances = [];
    private ulong _epoch = 3;

    private PlayerAdmission? _admission;
    private PlayerAdmission Admission => _admission ??= _tickets.Admission(_claimer);

    private async Task<BuiltInMapInstance> StartAsync(int maxPlayers = 10, TimeSpan? idle = null, PlayerAdmission? admission = null)
    {
        _admission ??= admission;
        var instance = new BuiltInMapInstance("prontera", IPAddress.Loopback, TestPorts.Range(1).Start, maxPlayers, () => Volatile.Read(ref _epoch),
            Admission, idle ?? TimeSpan.FromSeconds(30), _log.For<BuiltInMapInstance>());
        _instances.Add(instance);
        await instance.StartAsync(CancellationToken.None);
        return instance;
    }

    /// <summary>A player with a fresh valid ticket for the instance's map and epoch, through the reference client.</summary>
    private Task<MapConnection> EnterAsync(BuiltInMapInstance instance)
    {
        var ticket = _tickets.Ticket("prontera", Volatile.Read(ref _epoch));
        return MapConnection.EnterAsync(TestTickets.Route(instance.Port, ticket, _tickets.Sign(ticket)), Timeout);
    }

    private async Task<ProtocolError> RefusalAsync(BuiltInMapInstance instance, Ticket ticket, byte[]? wire = null)
    {
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() =>
            MapConnection.EnterAsync(TestTickets.Route(instance.Port, ticket, wire ?? _tickets.Sign(ticket)), Timeout));
        return e.Code;
    }

    [Fact]
    public async Task ValidTicketIsAdmittedClaimedOnceAndCountedAsAPlayer()
    {
        var instance = await StartAsync();
        Assert.Equal(MapRunState.Running, instance.State);
        var ticket = _tickets.Ticket("prontera", 3);
        await using (var player = await MapConnection.EnterAsync(TestTickets.Route(instance.Port, ticket, _tickets.Sign(ticket)), Timeout))
        {
            Assert.Equal(new EnteredPacket(TestTickets.Account, TestTickets.Char, "prontera", 3), player.Entered);
            Assert.Equal(1, instance.Players);
            var claimed = Assert.Single(_claimer.Claims);
            Assert.Equal(ticket.Nonce, claimed.Nonce);
            Assert.Equal(1, Admission.Metrics.Admitted);
            Assert.Contains($"Map prontera: admitted char {TestTickets.Char} (account {TestTickets.Account})", _log.Text);
        }
        await Eventually.HoldsAsync(() => instance.Players == 0, Timeout, () => $"{instance.Players} players after close");
        // A player who leaves without moving on is reported, so the coordinator does not keep it online (rAthena #3894).
        await Eventually.HoldsAsync(() => _claimer.Left.Count == 1, Timeout, () => $"{_claimer.Left.Count} PLAYER_LEFT");
        Assert.Equal((TestTickets.Char, "prontera", 3UL), _claimer.Left[0]);
    }

    [Fact]
    public async Task APlayerWhoComesBackWithANewTicketReplacesItsOlderConnectionWithoutAGoodbye()
    {
        // Seen in the chaos suite: a client whose connection looked lost resolves and enters again while its old
        // connection is still open here. The old one's end must not say PLAYER_LEFT (the coordinator would log out a
        // player who is playing) and the character is on the map once.
        var instance = await StartAsync();
        await using var first = await EnterAsync(instance);
        await using var second = await EnterAsync(instance);
        await Eventually.HoldsAsync(() => instance.Players == 1, Timeout, () => $"{instance.Players} players with the older connection replaced");
        Assert.Contains($"Map prontera: char {TestTickets.Char} came back from", _log.Text);
        // The older connection is told why, so its client does not enter again and take the character back (the two
        // would take turns for ever: seen with p2p-client next to the demo's players).
        var replaced = await Assert.ThrowsAsync<ProtocolException>(() => first.ClosedByHostAsync(Timeout));
        Assert.Equal(ProtocolError.SessionReplaced, replaced.Code);
        Assert.False(await second.ClosedByHostAsync(TimeSpan.FromMilliseconds(200)), "the newer connection stays");
        Assert.Empty(_claimer.Left);

        await second.DisposeAsync();
        await Eventually.HoldsAsync(() => _claimer.Left.Count == 1, Timeout, () => $"{_claimer.Left.Count} PLAYER_LEFT");
        await Task.Delay(200); // real time: proving that no second PLAYER_LEFT follows takes a while
        Assert.Single(_claimer.Left);
    }

    /// <summary>
    /// Issue 11 item 8: after a freeze, packets queued in the kernel can be handled before the agent's lease watcher
    /// runs. The instance itself checks the lease, so nothing is admitted or handled once it ran out — and an instance
    /// of the old term stays closed when the lease is granted again.
    /// </summary>
    [Fact]
    public async Task OnceTheLeaseRanOutTheInstanceAdmitsNoOneAndHandlesNoPacketBeforeItIsStopped()
    {
        var time = new FakeTimeProvider();
        var lease = new CoordinatorLease(TimeSpan.FromSeconds(2), time);
        lease.Registered(time.GetTimestamp());
        var instance = await StartAsync(admission: _tickets.Admission(_claimer) with { Lease = lease });
        var moves = 0;
        _claimer.AnswerMove = (_, _, _, _, _) =>
        {
            Interlocked.Increment(ref moves);
            return new MoveOutcome(ProtocolError.ClusterBase + 12, null);
        };
        await using var player = await EnterAsync(instance);
        Assert.Single(_claimer.Claims);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(lease.Valid);
        Assert.Equal(MapRunState.Running, instance.State); // no watcher here: nothing has stopped the instance

        Assert.Equal(ProtocolError.Unavailable, await RefusalAsync(instance, _tickets.Ticket("prontera", 3)));
        Assert.Single(_claimer.Claims); // refused before the claim
        var e = await Assert.ThrowsAsync<ProtocolException>(() => player.WarpAsync("geffen", new CharacterState(1, 2, 3, 4, 5, 6, 7, 8, 9), Timeout));
        Assert.Equal(ProtocolError.Unavailable, e.Code);
        Assert.Equal(0, Volatile.Read(ref moves)); // the WARP_REQUEST was not handled
        await Eventually.HoldsAsync(() => instance.Players == 0, Timeout, () => $"{instance.Players} players after the lease ran out");
        Assert.Contains("this host's lease ran out", _log.Text);

        // Granted again: a new term. The instance may hold a map the coordinator gave away meanwhile: still closed.
        lease.Registered(time.GetTimestamp());
        Assert.True(lease.Valid);
        Assert.Equal(1, lease.Term);
        Assert.Equal(ProtocolError.Unavailable, await RefusalAsync(instance, _tickets.Ticket("prontera", 3)));
        Assert.Single(_claimer.Claims);
    }

    [Fact]
    public async Task AWarpIsAskedOfTheCoordinatorAndThePlayerIsSentOnOrStays()
    {
        var instance = await StartAsync();
        var state = new CharacterState(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 3_210, 456);
        var destination = new RouteInfo("geffen", 0, "h0123456789abcdef0123", "127.0.0.1:6999", 8, 1764115260000, [1, 2, 3]);
        var asked = new List<(uint Char, string From, ulong Epoch, string To, CharacterState State)>();
        _claimer.AnswerMove = (character, from, epoch, to, saved) =>
        {
            asked.Add((character, from, epoch, to, saved));
            return to == "geffen" ? new MoveOutcome(ProtocolError.None, destination) : new MoveOutcome(ProtocolError.ClusterBase + 12, null);
        };
        await using var player = await EnterAsync(instance);

        // Refused: the player stays, and can try again on the same connection.
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => player.WarpAsync("payon", state, Timeout));
        Assert.Equal(ProtocolError.ClusterBase + 12, refused.Code);
        Assert.Equal(1, instance.Players);

        var route = await player.WarpAsync("geffen", state, Timeout);
        Assert.Equal(destination, route);
        Assert.Equal([(TestTickets.Char, "prontera", 3UL, "payon", state), (TestTickets.Char, "prontera", 3UL, "geffen", state)], asked);
        Assert.True(await player.ClosedByHostAsync(Timeout), "the instance lets a moved player go");
        await Eventually.HoldsAsync(() => instance.Players == 0, Timeout, () => $"{instance.Players} players after the move");
        Assert.Contains($"char {TestTickets.Char} saved and sent to geffen", _log.Text);
        Assert.Empty(_claimer.Left); // it moved on; it did not leave
    }

    [Fact]
    public async Task EveryOfflineCheckRefusesWithItsOwnCodeAndNothingIsClaimed()
    {
        var instance = await StartAsync();
        using var stranger = SigningIdentity.Generate();
        var now = DateTimeOffset.UtcNow;
        var good = _tickets.Ticket("prontera", 3);
        var forged = _tickets.Sign(good);
        forged[9] ^= 0x01; // the account id, under the signature
        var unknown = good with { KeyId = stranger.KeyId, Nonce = [.. good.Nonce.Reverse()] };

        Assert.Equal(ProtocolError.TicketMalformed, await RefusalAsync(instance, good, [1, 2, 3]));
        Assert.Equal(ProtocolError.TicketUnknownKey, await RefusalAsync(instance, unknown, unknown.Sign(stranger)));
        Assert.Equal(ProtocolError.TicketBadSignature, await RefusalAsync(instance, good, forged));
        Assert.Equal(ProtocolError.TicketExpired, await RefusalAsync(instance, _tickets.Ticket("prontera", 3, issued: now.AddMinutes(-2))));
        Assert.Equal(ProtocolError.TicketNotYetValid, await RefusalAsync(instance, _tickets.Ticket("prontera", 3, issued: now.AddMinutes(1))));
        Assert.Equal(ProtocolError.TicketWrongHost, await RefusalAsync(instance, _tickets.Ticket("prontera", 3, hostId: "h3210fedcba9876543210")));
        Assert.Equal(ProtocolError.TicketWrongEpoch, await RefusalAsync(instance, _tickets.Ticket("prontera", 2)));
        Assert.Equal(ProtocolError.TicketMapNotHosted, await RefusalAsync(instance, _tickets.Ticket("geffen", 3)));

        Assert.Empty(_claimer.Claims);
        Assert.Equal(0, instance.Players);
        foreach (var code in new[] { ProtocolError.TicketMalformed, ProtocolError.TicketUnknownKey, ProtocolError.TicketBadSignature, ProtocolError.TicketExpired,
                     ProtocolError.TicketNotYetValid, ProtocolError.TicketWrongHost, ProtocolError.TicketWrongEpoch, ProtocolError.TicketMapNotHosted })
        {
            Assert.Equal(1, Admission.Metrics.RefusedWith(code));
            Assert.Contains($": {code} ({(ushort)code}), 1 so far with this code", _log.Text);
        }
        Assert.DoesNotContain(good.NonceHex, _log.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(forged[..24]), _log.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SameTicketTwiceIsReplayed()
    {
        var instance = await StartAsync();
        var ticket = _tickets.Ticket("prontera", 3);
        var route = TestTickets.Route(instance.Port, ticket, _tickets.Sign(ticket));
        await using var first = await MapConnection.EnterAsync(route, Timeout);

        var again = await Assert.ThrowsAsync<RequestRefusedException>(() => MapConnection.EnterAsync(route, Timeout));
        Assert.Equal(ProtocolError.TicketReplayed, again.Code);
        Assert.Single(_claimer.Claims);
        Assert.Equal(1, instance.Players);
    }

    [Fact]
    public async Task TicketsFollowTheEpochTheInstanceRunsUnderNow()
    {
        var instance = await StartAsync();
        var old = _tickets.Ticket("prontera", 3);
        Volatile.Write(ref _epoch, 4); // reassigned to this host: the instance keeps running under the new epoch
        Assert.Equal(ProtocolError.TicketWrongEpoch, await RefusalAsync(instance, old));
        await using var player = await EnterAsync(instance);
        Assert.Equal(4UL, player.Entered.Epoch);
    }

    [Fact]
    public async Task CoordinatorRefusingTheClaimTurnsThePlayerAwayWithItsCode()
    {
        const ProtocolError ticketUsed = ProtocolError.ClusterBase + 13;
        _claimer.Answer = _ => Task.FromResult(new TicketClaim(ticketUsed, 0));
        var instance = await StartAsync(maxPlayers: 1);

        Assert.Equal(ticketUsed, await RefusalAsync(instance, _tickets.Ticket("prontera", 3)));
        Assert.Equal(0, instance.Players);
        Assert.Equal(1, Admission.Metrics.RefusedWith(ticketUsed));
        Assert.Contains("TicketUsed (269)", new RequestRefusedException(ticketUsed, "").Message);

        // The refused claim gave its slot back.
        _claimer.Answer = ticket => Task.FromResult(new TicketClaim(ProtocolError.None, ticket.AccountId));
        await using var player = await EnterAsync(instance);
        Assert.Equal(1, instance.Players);
    }

    [Fact]
    public async Task ATicketWhoseClaimTheCoordinatorNeverDecidedMayBeBroughtAgain()
    {
        // Issue 11 #5: while a silo was frozen the claim went unanswered (Unavailable); the player's session handed
        // the same, still fresh ticket out again, and the host refused it Replayed on every attempt for 40 s.
        _claimer.Answer = _ => Task.FromResult(TicketClaim.Unavailable);
        var instance = await StartAsync();
        var ticket = _tickets.Ticket("prontera", 3);
        byte[] wire = _tickets.Sign(ticket);
        Assert.Equal(ProtocolError.Unavailable, await RefusalAsync(instance, ticket, wire));

        _claimer.Answer = t => Task.FromResult(new TicketClaim(ProtocolError.None, t.AccountId));
        await using (var player = await MapConnection.EnterAsync(TestTickets.Route(instance.Port, ticket, wire), Timeout))
            Assert.Equal(1, instance.Players);

        // A claim the coordinator did decide (here: admitted) keeps the ticket spent on this host.
        Assert.Equal(ProtocolError.TicketReplayed, await RefusalAsync(instance, ticket, wire));
    }

    [Fact]
    public async Task NoCoordinatorSessionIsUnavailable()
    {
        var claims = new CoordinatorTicketClaimer(TimeSpan.FromSeconds(5), TimeProvider.System, _log.For<CoordinatorTicketClaimer>());
        var instance = await StartAsync(admission: _tickets.Admission(claims));

        Assert.Equal(ProtocolError.Unavailable, await RefusalAsync(instance, _tickets.Ticket("prontera", 3)));
        Assert.Equal(0, instance.Players);
        Assert.Contains("Cannot claim the ticket of char 150000 on prontera: no coordinator session", _log.Text);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", ProtocolError.UnknownPacket)] // a browser: id 0x4547 is not ours
    [InlineData("00 54 02 00", ProtocolError.Malformed)]                  // ENTER header with a length below 4
    [InlineData("00 54 58 02", ProtocolError.FrameTooLarge)]              // ENTER claiming 600 bytes, over the 512 limit
    [InlineData("00 54 07 00 05 00 01", ProtocolError.Malformed)]         // ENTER whose ticket length says 5 but carries 1
    [InlineData("05 50 0d 00 01 00 00 00 00 00 00 00 00", ProtocolError.UnexpectedPacket)] // a PING first
    [InlineData("ff 50 18 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", ProtocolError.UnexpectedPacket)] // SEALED
    public async Task AnythingButAWellFormedEnterFirstIsRefusedAndClosed(string first, ProtocolError expected)
    {
        var instance = await StartAsync();
        byte[] bytes = first.StartsWith("GET", StringComparison.Ordinal)
            ? System.Text.Encoding.ASCII.GetBytes(first)
            : Convert.FromHexString(first.Replace(" ", ""));

        var (error, _) = await RawExchangeAsync(instance.Port, bytes);
        Assert.Equal(expected, error);
        Assert.Equal(1, Admission.Metrics.RefusedWith(expected));
        Assert.Empty(_claimer.Claims);
    }

    [Fact]
    public async Task SilenceOrASlowFirstFramePastTheDeadlineIsRefusedAndClosed()
    {
        var deadline = TimeSpan.FromMilliseconds(500);
        var instance = await StartAsync(admission: _tickets.Admission(_claimer) with { EnterDeadline = deadline });

        var (silent, silentAfter) = await RawExchangeAsync(instance.Port, []);
        var ticket = _tickets.Ticket("prontera", 3);
        byte[] enter = FrameCodec.ToArray(new EnterPacket(_tickets.Sign(ticket)));
        var (slow, slowAfter) = await RawExchangeAsync(instance.Port, enter[..20]); // and never the rest

        Assert.Equal((ProtocolError.HandshakeTimeout, ProtocolError.HandshakeTimeout), (silent, slow));
        Assert.InRange(silentAfter, deadline * 0.9, deadline + TimeSpan.FromSeconds(3));
        Assert.InRange(slowAfter, deadline * 0.9, deadline + TimeSpan.FromSeconds(3));
        Assert.Equal(2, Admission.Metrics.RefusedWith(ProtocolError.HandshakeTimeout));
        Assert.Equal(0, instance.Players);
    }

    [Fact]
    public async Task PlayersBeyondTheLimitAreTurnedAwayBusy()
    {
        var instance = await StartAsync(maxPlayers: 1);
        await using var first = await EnterAsync(instance);

        var second = _tickets.Ticket("prontera", 3, charId: 150001);
        Assert.Equal(ProtocolError.ServerBusy, await RefusalAsync(instance, second));
        Assert.Equal(1, instance.Players);
        Assert.Single(_claimer.Claims); // turned away before anything was claimed
    }

    [Fact]
    public async Task PlayerIsClosedOneIdleTimeoutAfterItsLastFrame()
    {
        var idle = TimeSpan.FromSeconds(2);
        var instance = await StartAsync(idle: idle);
        await using var player = await EnterAsync(instance);
        await Task.Delay(idle * 0.75); // real time: the instance's idle timer runs on its socket's real clock
        await player.KeepAliveAsync(); // a PING: activity, nothing more
        var lastFrame = Stopwatch.StartNew();

        Assert.True(await player.ClosedByHostAsync(idle * 3), "not closed within three idle timeouts");
        // Closed by the idle timer the PING restarted, not by the one started at admission.
        Assert.True(lastFrame.Elapsed >= idle * 0.9, $"closed {lastFrame.ElapsedMilliseconds} ms after the last frame");
        await Eventually.HoldsAsync(() => instance.Players == 0, Timeout, () => $"{instance.Players} players");
    }

    [Fact]
    public async Task StoppingClosesThePortEveryPlayerAndAClaimUnderWay()
    {
        var claimStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var instance = await StartAsync();
        await using var player = await EnterAsync(instance);
        var never = new TaskCompletionSource<TicketClaim>();
        _claimer.Answer = _ =>
        {
            claimStarted.TrySetResult();
            return never.Task;
        };
        var waiting = EnterAsync(instance);
        await claimStarted.Task.WaitAsync(Timeout);

        await instance.StopAsync().WaitAsync(Timeout);
        Assert.Equal(MapRunState.Stopped, instance.State);
        Assert.True(await player.ClosedByHostAsync(Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => waiting);
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, instance.Port));
    }

    [Fact]
    public async Task TakenPortCannotStart()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, TestPorts.Range(1).Start);
        squatter.Start();
        var instance = new BuiltInMapInstance("prontera", IPAddress.Loopback, ((IPEndPoint)squatter.LocalEndpoint).Port, 10, () => 3, Admission,
            TimeSpan.FromSeconds(30), _log.For<BuiltInMapInstance>());
        await Assert.ThrowsAsync<MapStartException>(() => instance.StartAsync(CancellationToken.None));
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> on a raw connection and reads until the instance closes it: exactly one ERROR
    /// must come, then the close. Returns its code and how long after connecting the close came.
    /// </summary>
    private static async Task<(ProtocolError Code, TimeSpan After)> RawExchangeAsync(int port, byte[] bytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var watch = Stopwatch.StartNew();
        if (bytes.Length > 0) await socket.SendAsync(bytes);
        using var timeout = new CancellationTokenSource(Timeout);
        var received = new List<byte>();
        var chunk = new byte[1024];
        int n;
        while ((n = await socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token)) > 0) received.AddRange(chunk[..n]);
        var after = watch.Elapsed;

        var all = new ReadOnlySequence<byte>(received.ToArray());
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(all, ProtocolLimits.HandshakeMaxFrame, out var frame, out var consumed));
        Assert.True(FrameCodec.TryRead(frame, out ErrorPacket error), $"not an ERROR: 0x{frame.Id:X4}");
        Assert.Equal(0, all.Slice(consumed).Length); // nothing after the ERROR
        return (error.Code, after);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.StopAsync();
        _tickets.Dispose();
    }
}
