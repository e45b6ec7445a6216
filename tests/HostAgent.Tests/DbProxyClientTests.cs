using System.Diagnostics;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// The agent's database proxy connection against a stand-in proxy (the real handshake over loopback; the test answers
/// each request itself): request ids, the same key again after a drop, refusals with their code, bounded waits.
/// </summary>
public sealed class DbProxyClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const ProtocolError StoreUnavailable = ProtocolError.ClusterBase + 15, OutOfBounds = ProtocolError.ClusterBase + 17;
    private static readonly CharacterRecord Record = new(150, 100, 10, 5, 1000, 300, 500, 9, 8, 7, 6, 5, 4, 2, 1, 80, 120, 20, 30);

    private static readonly AgentTimings Timings = new()
    {
        InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        DbRequestTimeout = TimeSpan.FromSeconds(5),
        DbConnectWait = TimeSpan.FromSeconds(1),
    };

    private readonly LogCollector _log = new(output);
    private readonly TestCoordinator _proxy = new();
    private readonly SigningIdentity _host = SigningIdentity.Generate();
    private readonly List<DbProxyClient> _clients = [];

    private CoordinatorEndpoint ProxyEndpoint => new("127.0.0.1", _proxy.Endpoint.Port);

    private DbProxyClient Client(AgentTimings? timings = null)
    {
        timings ??= Timings;
        var client = new DbProxyClient(new CoordinatorConnectionOptions
        {
            CoordinatorKeys = [_proxy.Tickets.Key.PublicKey],
            Role = PeerRole.HostAgent,
            Identity = _host,
            Endpoint = "127.0.0.1:6200",
            HandshakeTimeout = timings.HandshakeTimeout,
        }, timings, TimeProvider.System, _log.For<DbProxyClient>());
        _clients.Add(client);
        return client;
    }

    [Fact]
    public async Task StoppingWhileAConnectionAttemptFailsNeverThrows()
    {
        // A connect refused just after the stop was requested must end the loop quietly: it once escaped DisposeAsync,
        // failed the agent's shutdown and left the coordinator without the maps' Stopped reports.
        var closed = new CoordinatorEndpoint("127.0.0.1", TestSupport.FreePort.Next());
        for (int i = 0; i < 300; i++)
        {
            var client = Client();
            client.Connect(closed);
            if (i % 3 == 1) await Task.Yield();
            if (i % 3 == 2) await Task.Delay(1); // on purpose: a real timer hop, one of the three interleavings tried
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnswersFindTheirRequestsWhateverTheirOrder()
    {
        var client = Client();
        client.Connect(ProxyEndpoint);
        var session = await _proxy.NextSessionAsync(Timeout);
        Assert.Equal(HandshakeCrypto.HostId(_host.PublicKey), session.HostId); // identified with the host's key

        var load = client.LoadAsync(7, "prontera", 3);
        var save = client.SaveAsync(8, "prontera", 3, 4, Record);
        var online = client.SetOnlineAsync(9, "prontera", 3, true);
        var l = await session.WaitForAsync<DbLoadCharPacket>(_ => true, Timeout);
        var s = await session.WaitForAsync<DbSaveCharPacket>(_ => true, Timeout);
        var o = await session.WaitForAsync<DbSetOnlinePacket>(_ => true, Timeout);
        Assert.Equal(3, new[] { l.RequestId, s.RequestId, o.RequestId }.Distinct().Count());
        Assert.Equal((8u, "prontera", 3UL, 4UL, Record, 16), (s.CharId, s.Map, s.Epoch, s.ExpectedVersion, s.Record, s.Key.Length));
        Assert.Equal((9u, true, 16), (o.CharId, o.Online, o.Key.Length));
        Assert.False(s.Key.AsSpan().SequenceEqual(o.Key), "each write has its own key");

        // Answered last first.
        await session.SendAsync(new DbResultPacket(o.RequestId, 9, ProtocolError.None, 12));
        await session.SendAsync(new DbResultPacket(s.RequestId, 8, ProtocolError.None, 5));
        await session.SendAsync(new DbCharPacket(l.RequestId, 7, ProtocolError.None, 9, Record));
        Assert.Equal(12UL, await online.WaitAsync(Timeout));
        Assert.Equal(5UL, await save.WaitAsync(Timeout));
        Assert.Equal((Record, 9UL), await load.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ASaveGoesAgainWithTheSameKeyAfterTheConnectionDrops()
    {
        var client = Client();
        client.Connect(ProxyEndpoint);
        var first = await _proxy.NextSessionAsync(Timeout);
        var save = client.SaveAsync(8, "prontera", 3, 4, Record);
        var sent = await first.WaitForAsync<DbSaveCharPacket>(_ => true, Timeout);
        first.Abort(); // the proxy may have committed it: only the key can tell

        var second = await _proxy.NextSessionAsync(Timeout);
        var again = await second.WaitForAsync<DbSaveCharPacket>(_ => true, Timeout);
        Assert.Equal(sent.Key, again.Key);
        Assert.Equal((sent.CharId, sent.ExpectedVersion, sent.Record), (again.CharId, again.ExpectedVersion, again.Record));
        await second.SendAsync(new DbResultPacket(again.RequestId, 8, ProtocolError.None, 5));
        Assert.Equal(5UL, await save.WaitAsync(Timeout));
        Assert.Contains("Disconnected from the database proxy 127.0.0.1:", _log.Text);
    }

    [Fact]
    public async Task AnUndecidedAnswerIsRetriedWithTheSameKeyAndARefusalSurfacesWithItsCode()
    {
        var client = Client();
        client.Connect(ProxyEndpoint);
        var session = await _proxy.NextSessionAsync(Timeout);

        var online = client.SetOnlineAsync(9, "prontera", 3, true);
        var first = await session.WaitForAsync<DbSetOnlinePacket>(_ => true, Timeout);
        await session.SendAsync(new DbResultPacket(first.RequestId, 9, StoreUnavailable, 0));
        var retry = await session.WaitForAsync<DbSetOnlinePacket>(p => p.RequestId != first.RequestId, Timeout);
        Assert.Equal(first.Key, retry.Key);
        await session.SendAsync(new DbResultPacket(retry.RequestId, 9, ProtocolError.None, 3));
        Assert.Equal(3UL, await online.WaitAsync(Timeout));

        var save = client.SaveAsync(8, "prontera", 3, 3, Record with { X = 5000 });
        var refusedSave = await session.WaitForAsync<DbSaveCharPacket>(_ => true, Timeout);
        await session.SendAsync(new DbResultPacket(refusedSave.RequestId, 8, OutOfBounds, 0));
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => save.WaitAsync(Timeout));
        Assert.Equal(OutOfBounds, refused.Code);
        Assert.Single(session.All<DbSaveCharPacket>()); // a verdict is not retried
    }

    [Fact]
    public async Task WithoutAProxyACallEndsUnavailableWithinItsBound()
    {
        var client = Client();
        var early = await Assert.ThrowsAsync<RequestRefusedException>(() => client.LoadAsync(7, "prontera", 3));
        Assert.Equal(ProtocolError.Unavailable, early.Code);
        Assert.Contains("not connected to a gateway", early.Message);

        client.Connect(new CoordinatorEndpoint("127.0.0.1", FreePort.Next()));
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() => client.SaveAsync(7, "prontera", 3, 0, Record));
        Assert.Equal(ProtocolError.Unavailable, e.Code);
        Assert.True(watch.Elapsed < Timings.DbConnectWait + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Contains("not connected to the database proxy", e.Message);
        await Eventually.HoldsAsync(() => _log.Text.Contains("Cannot connect to the database proxy 127.0.0.1:"), Timeout, () => _log.Text);
    }

    [Fact]
    public async Task AnUnansweredRequestEndsUnavailableAtItsDeadline()
    {
        var client = Client(Timings with { DbRequestTimeout = TimeSpan.FromMilliseconds(700) });
        client.Connect(ProxyEndpoint);
        await _proxy.NextSessionAsync(Timeout);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() => client.LoadAsync(7, "prontera", 3));
        Assert.Equal(ProtocolError.Unavailable, e.Code);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedUntilTheProxyTakesTheHost()
    {
        _proxy.RefuseWith = ProtocolError.ClusterBase + 8; // HostDeclaredDead: not connected at the gateway (yet)
        var client = Client();
        client.Connect(ProxyEndpoint);
        await Eventually.HoldsAsync(() => _log.Text.Contains("HostDeclaredDead (264)"), Timeout, () => _log.Text);
        Assert.Equal(ProtocolError.Unavailable, (await Assert.ThrowsAsync<RequestRefusedException>(() => client.LoadAsync(7, "prontera", 3))).Code);

        _proxy.RefuseWith = ProtocolError.None;
        var session = await _proxy.NextSessionAsync(Timeout);
        var load = client.LoadAsync(7, "prontera", 3);
        var sent = await session.WaitForAsync<DbLoadCharPacket>(_ => true, Timeout);
        await session.SendAsync(new DbCharPacket(sent.RequestId, 7, ProtocolError.None, 1, Record));
        Assert.Equal((Record, 1UL), await load.WaitAsync(Timeout));
        Assert.True(client.Connected);
    }

    [Theory]
    [InlineData(0u, "prontera", 3UL)]
    [InlineData(7u, "not a map", 3UL)]
    [InlineData(7u, "prontera", 0UL)]
    public async Task ARequestTheProxyWouldCloseTheConnectionOverIsRefusedBeforeItIsSent(uint charId, string map, ulong epoch)
    {
        var client = Client();
        client.Connect(ProxyEndpoint);
        var session = await _proxy.NextSessionAsync(Timeout);
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() => client.LoadAsync(charId, map, epoch));
        Assert.Equal(ProtocolError.Malformed, e.Code);
        Assert.Empty(session.All<DbLoadCharPacket>());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await _proxy.DisposeAsync();
        _host.Dispose();
    }
}
