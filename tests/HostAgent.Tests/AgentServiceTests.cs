using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>The agent's coordinator link against a stand-in gateway speaking the real protocol over loopback.</summary>
public sealed class AgentServiceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly LogCollector _log = new(output);

    [Fact]
    public async Task ConnectsProvesItsKeySendsCapacityThenHeartbeats()
    {
        await using var coordinator = new TestCoordinator();
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex, extra: [("identity:kind", "vps")]);
        await rig.StartAsync();

        var session = await coordinator.NextSessionAsync(Timeout);
        Assert.Equal(rig.Identity.HostId, session.HostId);
        Assert.Equal(1, session.Identify.HostKind);
        Assert.Equal($"127.0.0.1:{rig.PortRangeStart}", session.Identify.Endpoint);
        var heartbeat = await session.WaitForAsync<HeartbeatPacket>(h => h.Sequence >= 3, Timeout);

        Assert.Equal(new HostCapacityPacket(3, 100, 80, 85, 100), Assert.Single(session.All<HostCapacityPacket>()));
        Assert.StartsWith("HostCapacity, Heartbeat", session.Describe());
        Assert.InRange(heartbeat.MemoryPermille, 1, 1000);
        Assert.Empty(heartbeat.Maps);
        Assert.Contains($"Connected to coordinator {coordinator.EndpointText} as {rig.Identity.HostId} (session 42, encrypted)", _log.Text);
    }

    [Fact]
    public async Task AssignedMapRunsAndARevokeStopsIt()
    {
        await using var coordinator = new TestCoordinator();
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex);
        await rig.StartAsync();
        var session = await coordinator.NextSessionAsync(Timeout);

        await session.SendAsync(new AssignMapPacket("prontera", 5, 20));
        var running = await session.WaitForAsync<MapStatePacket>(s => s.State == MapRunState.Running, Timeout);
        Assert.Equal(("prontera", 5UL), (running.Map, running.Epoch));
        Assert.Equal(new MapStatePacket("prontera", 5, MapRunState.Starting, 0), session.All<MapStatePacket>()[0]);

        var ticket = coordinator.Tickets.Ticket("prontera", 5, rig.Identity.HostId);
        await using (var player = await MapConnection.EnterAsync(TestTickets.Route(running.Port, ticket, coordinator.Tickets.Sign(ticket)), Timeout))
        {
            Assert.Equal(new EnteredPacket(TestTickets.Account, TestTickets.Char, "prontera", 5), player.Entered);
            var claim = Assert.Single(session.All<ClaimTicketPacket>());
            Assert.Equal((TestTickets.Char, "prontera", 5UL, ticket.NonceHex), (claim.CharId, claim.Map, claim.Epoch, Convert.ToHexStringLower(claim.Nonce)));
            await session.WaitForAsync<HeartbeatPacket>(h => h.Maps is [{ Map: "prontera", Epoch: 5, State: MapRunState.Running, Players: 1 }], Timeout);
        }

        await session.SendAsync(new RevokeMapPacket("prontera", 5, RevokeReason.Drained));
        await session.WaitForAsync<MapStatePacket>(s => s == new MapStatePacket("prontera", 5, MapRunState.Stopped, 0), Timeout);
        int after = session.All<HeartbeatPacket>().Count;
        await session.WaitForAsync<HeartbeatPacket>(h => h.Maps.Count == 0 && h.Sequence > after + 1, Timeout);
        Assert.Contains("Map prontera stopped (epoch 5, revoked: Drained)", _log.Text);
    }

    [Fact]
    public async Task ClaimRefusedByTheCoordinatorTurnsThePlayerAwayWithItsCode()
    {
        const ProtocolError ticketUsed = ProtocolError.ClusterBase + 13;
        await using var coordinator = new TestCoordinator { AnswerClaim = c => new ClaimResultPacket(c.RequestId, c.CharId, ticketUsed, 0) };
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex);
        var (session, port) = await StartWithMapAsync(rig, coordinator, "prontera", 5);

        var ticket = coordinator.Tickets.Ticket("prontera", 5, rig.Identity.HostId);
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() =>
            MapConnection.EnterAsync(TestTickets.Route(port, ticket, coordinator.Tickets.Sign(ticket)), Timeout));
        Assert.Equal(ticketUsed, e.Code);
        Assert.Single(session.All<ClaimTicketPacket>());
        Assert.Equal(1, rig.Admission.Metrics.RefusedWith(ticketUsed));
        Assert.Equal(0, rig.Claims.Waiting);
    }

    [Fact]
    public async Task UnansweredClaimIsUnavailableAfterTheClaimTimeout()
    {
        var claimTimeout = TimeSpan.FromMilliseconds(500);
        await using var coordinator = new TestCoordinator { AnswerClaim = _ => null };
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex, AgentRig.Fast with { ClaimTimeout = claimTimeout });
        var (_, port) = await StartWithMapAsync(rig, coordinator, "prontera", 5);

        var ticket = coordinator.Tickets.Ticket("prontera", 5, rig.Identity.HostId);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() =>
            MapConnection.EnterAsync(TestTickets.Route(port, ticket, coordinator.Tickets.Sign(ticket)), Timeout));
        Assert.Equal(ProtocolError.Unavailable, e.Code);
        Assert.InRange(watch.Elapsed, claimTimeout * 0.9, Timeout);
        Assert.Contains("The coordinator did not answer the claim of char 150000 on prontera within 500 ms", _log.Text);
    }

    [Fact]
    public async Task ClaimWaitingWhenTheSessionDropsIsUnavailableAtOnce()
    {
        TestSession? session = null;
        // The gateway dies with the claim in hand; the claim timeout (30 s) must not be what ends the wait.
        await using var coordinator = new TestCoordinator { AnswerClaim = _ => { session!.Abort(); return null; } };
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex, AgentRig.Fast with { ClaimTimeout = TimeSpan.FromSeconds(30) });
        int port;
        (session, port) = await StartWithMapAsync(rig, coordinator, "prontera", 5);

        var ticket = coordinator.Tickets.Ticket("prontera", 5, rig.Identity.HostId);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() =>
            MapConnection.EnterAsync(TestTickets.Route(port, ticket, coordinator.Tickets.Sign(ticket)), Timeout));
        Assert.Equal(ProtocolError.Unavailable, e.Code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"refused after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, rig.Claims.Waiting);
    }

    /// <summary>Starts the agent, takes its session, assigns <paramref name="map"/> and waits until it runs; returns the session and the map's port.</summary>
    private static async Task<(TestSession Session, int Port)> StartWithMapAsync(AgentRig rig, TestCoordinator coordinator, string map, ulong epoch)
    {
        await rig.StartAsync();
        var session = await coordinator.NextSessionAsync(Timeout);
        await session.SendAsync(new AssignMapPacket(map, epoch, 20));
        var running = await session.WaitForAsync<MapStatePacket>(s => s.Map == map && s.State == MapRunState.Running, Timeout);
        return (session, running.Port);
    }

    [Fact]
    public async Task TriesTheNextEndpointWhenOneRefuses()
    {
        await using var coordinator = new TestCoordinator();
        int closed = FreePort.Next();
        await using var rig = new AgentRig(_log, $"127.0.0.1:{closed},{coordinator.EndpointText}", coordinator.PublicKeyHex);
        await rig.StartAsync();

        await coordinator.NextSessionAsync(Timeout);
        Assert.Contains($"Cannot connect to coordinator 127.0.0.1:{closed}: connection refused; next attempt in", _log.Text);
    }

    [Fact]
    public async Task MapsKeepRunningAcrossAReconnect()
    {
        await using var coordinator = new TestCoordinator();
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex);
        await rig.StartAsync();
        var first = await coordinator.NextSessionAsync(Timeout);
        await first.SendAsync(new AssignMapPacket("geffen", 8, 20));
        var running = await first.WaitForAsync<MapStatePacket>(s => s.State == MapRunState.Running, Timeout);

        first.Abort(); // the gateway dies without a word
        var second = await coordinator.NextSessionAsync(Timeout);
        var heartbeat = await second.WaitForAsync<HeartbeatPacket>(_ => true, Timeout);
        Assert.Equal([new MapReport("geffen", 8, MapRunState.Running, 0)], heartbeat.Maps);
        Assert.Empty(second.All<MapStatePacket>()); // nothing stale replayed: the heartbeat says what runs
        using var player = new TcpClient();
        await player.ConnectAsync(IPAddress.Loopback, running.Port);
        Assert.Contains($"Disconnected from coordinator {coordinator.EndpointText}", _log.Text);
    }

    [Fact]
    public async Task WrongPinnedKeyIsAnErrorRetriedOnlySlowly()
    {
        await using var coordinator = new TestCoordinator();
        using var other = SigningIdentity.Generate();
        await using var rig = new AgentRig(_log, coordinator.EndpointText, Convert.ToHexString(other.PublicKey),
            AgentRig.Fast with { RetryAfterRefusal = TimeSpan.FromSeconds(60) });
        await rig.StartAsync();

        await Eventually.HoldsAsync(() => _log.Count("refused this host") > 0, Timeout, () => _log.Text);
        // With the normal backoff (50 ms doubling to 200 ms) a second ago there would have been several attempts.
        // Real time: proving no attempt follows takes a while, and the rig's sockets and coordinator run on the real clock.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, coordinator.Accepted);
        var line = Assert.Single(_log.Lines, l => l.Message.Contains("refused this host"));
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("BadSignature (8): the coordinator's signature does not match a pinned key. Retrying only every 60 s", line.Message);
    }

    [Fact]
    public async Task BannedHostIsAnErrorRetriedOnlySlowly()
    {
        await using var coordinator = new TestCoordinator { RefuseWith = CoordinatorFailure.HostBanned };
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex,
            AgentRig.Fast with { RetryAfterRefusal = TimeSpan.FromSeconds(60) });
        await rig.StartAsync();

        await Eventually.HoldsAsync(() => _log.Count("refused this host") > 0, Timeout, () => _log.Text);
        await Task.Delay(TimeSpan.FromSeconds(1)); // real time: as above, an absence of attempts takes a while to show
        Assert.Equal(1, coordinator.Accepted);
        Assert.Contains("refused this host: cluster HostBanned (261): refused by the test coordinator", _log.Text);
    }

    [Fact]
    public async Task SilentCoordinatorIsDroppedAndReconnected()
    {
        await using var coordinator = new TestCoordinator { Acknowledge = false };
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex,
            AgentRig.Fast with { SilenceTimeout = TimeSpan.FromMilliseconds(500) });
        await rig.StartAsync();

        var first = await coordinator.NextSessionAsync(Timeout);
        await first.Closed.WaitAsync(Timeout);
        await coordinator.NextSessionAsync(Timeout);
        Assert.Contains("nothing from the coordinator (no HEARTBEAT_ACK) for 0.5 s", _log.Text);
    }

    [Fact]
    public async Task ShutdownStopsMapsReportsThemAndSaysBye()
    {
        await using var coordinator = new TestCoordinator();
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex);
        await rig.StartAsync();
        var session = await coordinator.NextSessionAsync(Timeout);
        await session.SendAsync(new AssignMapPacket("payon", 2, 20));
        var running = await session.WaitForAsync<MapStatePacket>(s => s.State == MapRunState.Running, Timeout);

        await rig.StopAsync();
        await session.Closed.WaitAsync(Timeout);
        Assert.True(session.ByeReceived, session.Describe());
        Assert.Contains(new MapStatePacket("payon", 2, MapRunState.Stopped, 0), session.All<MapStatePacket>());
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, running.Port));
    }

    [Fact]
    public async Task MetricsFileMakesTheHostLookOverloaded()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "cpu=95\nmemory=40\nnetwork=10\n");
            await using var coordinator = new TestCoordinator();
            await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex, extra: [("resources:metrics_file", file)]);
            await rig.StartAsync();
            var session = await coordinator.NextSessionAsync(Timeout);
            var heartbeat = await session.WaitForAsync<HeartbeatPacket>(h => h.Sequence >= 2, Timeout);
            Assert.Equal((950, 400, 10_000u), (heartbeat.CpuPermille, heartbeat.MemoryPermille, heartbeat.NetworkKbps));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
