using System.Diagnostics;
using System.Net;
using P2PCluster.Client;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// Connections cannot hold places for ever or crowd hosts out (docs/protocol.md §9): idle sessions are closed per
/// role, one address gets a quota, and a share of the places is kept for host agents. Real sockets, the metric
/// checked, and a witness that keeps being served.
/// </summary>
[Collection(LimitsCollection.Name)]
public sealed class ConnectionLimitTests(LimitsFixture limits)
{
    private GatewayFixture Fixture => limits.Gateway;
    private static int _nextAddress;

    /// <summary>A loopback address no other test of this class uses, so per-address counts start at zero.</summary>
    private static IPAddress NewAddress()
    {
        int n = Interlocked.Increment(ref _nextAddress);
        return new IPAddress([127, 0, (byte)(1 + n / 250), (byte)(2 + n % 250)]);
    }

    private async Task ExpectIdleCloseAsync(Func<RawClient, Task> setUp, int idleMs, IPEndPoint? endpoint = null)
    {
        await using var witness = await Witness.StartAsync(Fixture);
        long before = Fixture.Metrics.Rejections(ProtocolError.IdleTimeout);
        await using (var raw = await RawClient.ConnectAsync(endpoint ?? Fixture.Endpoint, NewAddress()))
        {
            // The server's idle clock starts when it establishes the session, which is after the handshake began here
            // and before this side sees WELCOME: timed from the start, an early close is caught however slow the
            // machine (timed from WELCOME, a busy machine's scheduling delay looked like an early close: 2597 of 3000 ms).
            var sinceHandshake = Stopwatch.StartNew();
            await setUp(raw);
            await raw.ExpectErrorAfterPushesThenCloseAsync(ProtocolError.IdleTimeout, TimeSpan.FromMilliseconds(idleMs + 10_000));
            Assert.True(sinceHandshake.ElapsedMilliseconds >= idleMs,
                $"closed {sinceHandshake.ElapsedMilliseconds} ms after the handshake began, before the {idleMs} ms idle timeout");
        }
        await Eventually.TrueAsync(() => Fixture.Metrics.Rejections(ProtocolError.IdleTimeout) > before, "IdleTimeout was not counted");
        await witness.AssertServedAsync();
    }

    [Fact]
    public Task IdleAnonymousConnectionIsClosedAfterItsTimeout() =>
        ExpectIdleCloseAsync(raw => raw.HandshakeAsync(Fixture.CoordinatorPublicKey, null), LimitsFixture.ClientIdleMs);

    [Fact]
    public Task HalfAFrameThenSilenceIsClosed() =>
        ExpectIdleCloseAsync(async raw =>
        {
            await raw.HandshakeAsync(Fixture.CoordinatorPublicKey, null);
            var ping = raw.Seal(new PingPacket(1, 0));
            await raw.SendAsync(ping[..(ping.Length / 2)]);
        }, LimitsFixture.ClientIdleMs);

    [Fact]
    public Task IdleHostConnectionIsClosedAfterItsTimeout() =>
        ExpectIdleCloseAsync(async raw =>
        {
            using var host = SigningIdentity.Generate();
            await raw.HandshakeAsync(Fixture.CoordinatorPublicKey, host);
        }, LimitsFixture.HostIdleMs);

    [Fact]
    public async Task IdleDatabaseProxyConnectionIsClosedAfterItsTimeout()
    {
        using var host = SigningIdentity.Generate();
        await using var agent = await Fixture.ConnectAsync(host); // the proxy admits hosts connected at the gateway port
        await ExpectIdleCloseAsync(raw => raw.HandshakeAsync(Fixture.CoordinatorPublicKey, host), LimitsFixture.DbProxyIdleMs, Fixture.DbProxyEndpoint);
    }

    [Fact]
    public async Task PingsKeepAnEstablishedConnectionOpenPastItsIdleTimeout()
    {
        await using var raw = await RawClient.ConnectAsync(Fixture.Endpoint, NewAddress());
        await raw.HandshakeAsync(Fixture.CoordinatorPublicKey, null);
        var until = Stopwatch.StartNew();
        for (ulong token = 1; until.ElapsedMilliseconds < LimitsFixture.ClientIdleMs * 2; token++)
        {
            await raw.SendAsync(raw.Seal(new PingPacket(token, 0)));
            var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(5));
            Assert.NotNull(frame);
            Assert.True(RawClient.Parse(frame, out PongPacket pong), $"expected PONG, got {Convert.ToHexString(frame)}");
            Assert.Equal(token, pong.Token);
            await Task.Delay(LimitsFixture.ClientIdleMs / 4); // real time: the gateway's idle timeout runs on its real clock
        }
    }

    [Fact]
    public async Task APlayerClientKeepsItsSessionPastTheIdleTimeout()
    {
        await using var client = await PlayerClient.ConnectAsync(Fixture.Endpoint, [Fixture.CoordinatorPublicKey],
            keepAlive: TimeSpan.FromMilliseconds(LimitsFixture.ClientIdleMs / 3));
        var closed = client.Connection.Completion;
        // Real time: two idle timeouts of the gateway's real clock must pass with the session kept open.
        Assert.NotSame(closed, await Task.WhenAny(closed, Task.Delay(LimitsFixture.ClientIdleMs * 2)));
        Assert.True((await client.Connection.PingAsync().WaitAsync(TimeSpan.FromSeconds(10))).ServerTimeMs > 0);
    }

    [Fact]
    public async Task PerAddressQuotaRefusesTheNextConnection()
    {
        await using var witness = await Witness.StartAsync(Fixture);
        long before = Fixture.Metrics.Refusals(ConnectionLimit.PerAddress);
        var address = NewAddress();
        var held = new List<RawClient>();
        try
        {
            // Each held connection completes its handshake, one after the other: the server has counted it before the
            // next arrives, and it is held under the client idle timeout, not the much shorter handshake timeout that
            // could close the first ones while a busy machine is still connecting the rest.
            for (int i = 0; i < LimitsFixture.PerAddress; i++)
            {
                var client = await RawClient.ConnectAsync(Fixture.Endpoint, address);
                held.Add(client);
                await client.HandshakeAsync(Fixture.CoordinatorPublicKey, null);
            }
            await using var extra = await RawClient.ConnectAsync(Fixture.Endpoint, address);
            await extra.ExpectErrorThenCloseAsync(ProtocolError.ServerBusy);
            // Another address is not affected.
            await using var other = await RawClient.ConnectAsync(Fixture.Endpoint, NewAddress());
            await other.HandshakeAsync(Fixture.CoordinatorPublicKey, null);
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
        Assert.Equal(before + 1, Fixture.Metrics.Refusals(ConnectionLimit.PerAddress));
        await witness.AssertServedAsync();
    }

    [Fact]
    public async Task HostConnectsAndIdentifiesWhilePlayersHoldEveryPlaceTheyMay()
    {
        await using var witness = await Witness.StartAsync(Fixture);
        long before = Fixture.Metrics.Refusals(ConnectionLimit.HostReserve);
        var players = new List<RawClient>();
        try
        {
            // Anonymous game clients take places until one is refused (or the whole pool is theirs: the defect).
            var address = NewAddress();
            for (int i = 0; i < LimitsFixture.MaxConnections; i++)
            {
                if (i % LimitsFixture.PerAddress == 0) address = NewAddress();
                var player = await RawClient.ConnectAsync(Fixture.Endpoint, address);
                players.Add(player);
                var refusal = await player.TryHandshakeAsync(Fixture.CoordinatorPublicKey, null);
                if (refusal != ProtocolError.None)
                {
                    Assert.Equal(ProtocolError.ServerBusy, refusal);
                    break;
                }
            }
            Assert.True(Fixture.Metrics.Refusals(ConnectionLimit.HostReserve) > before,
                $"{players.Count} game clients were let in: none was refused to keep places for hosts");

            using var host = SigningIdentity.Generate();
            await using var agent = await RawClient.ConnectAsync(Fixture.Endpoint, NewAddress());
            var welcome = await agent.HandshakeAsync(Fixture.CoordinatorPublicKey, host);
            Assert.Equal(HandshakeCrypto.HostId(host.PublicKey), welcome.Identity);
        }
        finally
        {
            foreach (var player in players) await player.DisposeAsync();
        }
        await witness.AssertServedAsync();
    }

    [Fact]
    public async Task HostHandshakesWhilePlayersStallEveryHandshakeSlotTheyMay()
    {
        var stalled = new List<RawClient>();
        try
        {
            // Game clients send HELLO and go silent: each holds a handshake slot until the handshake deadline.
            var address = NewAddress();
            for (int i = 0; i < LimitsFixture.MaxPendingHandshakes; i++)
            {
                var player = await RawClient.ConnectAsync(Fixture.Endpoint, address);
                stalled.Add(player);
                using var hello = new ClientHandshake(PeerRole.GameClient, [Fixture.CoordinatorPublicKey]);
                await player.SendAsync(FrameCodec.ToArray(hello.CreateHello()));
            }
            await Eventually.TrueAsync(() => Fixture.Handshakes.Pending + Fixture.Handshakes.Waiting >= LimitsFixture.MaxPendingHandshakes, "the stalled HELLOs were not all read");

            using var host = SigningIdentity.Generate();
            await using var agent = await RawClient.ConnectAsync(Fixture.Endpoint, NewAddress());
            var result = await agent.TryHandshakeAsync(Fixture.CoordinatorPublicKey, host);
            Assert.True(result == ProtocolError.None, $"the host's handshake was refused with {result} while players held the handshake slots");
        }
        finally
        {
            foreach (var player in stalled) await player.DisposeAsync();
        }
    }
}
