using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Protocol;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// The agent's lease (docs/placement.md, "Leases") and its choice of gateway, against stand-in gateways over real
/// loopback sockets.
/// </summary>
public sealed class AgentLeaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int LeaseMs = 1000;
    private readonly LogCollector _log = new(output);

    [Fact]
    public async Task UnacknowledgedHeartbeatsStopEveryMapUntilAcksResume()
    {
        await using var coordinator = new TestCoordinator();
        // The session is kept (silence timeout far away): only the lease may stop the map.
        await using var rig = new AgentRig(_log, coordinator.EndpointText, coordinator.PublicKeyHex,
            AgentRig.Fast with { SilenceTimeout = TimeSpan.FromMinutes(5) }, ("coordinator:lease_ms", LeaseMs.ToString()));
        await rig.StartAsync();
        var session = await coordinator.NextSessionAsync(Timeout);
        await session.WaitForAsync<HeartbeatPacket>(h => h.Sequence >= 3, Timeout); // acknowledged: the lease holds
        await session.SendAsync(new AssignMapPacket("geffen", 4, 20));
        var running = await session.WaitForAsync<MapStatePacket>(s => s.State == MapRunState.Running, Timeout);
        using var player = new TcpClient();
        await player.ConnectAsync(IPAddress.Loopback, running.Port);

        coordinator.Acknowledge = false;
        await session.WaitForAsync<MapStatePacket>(s => s is { Map: "geffen", Epoch: 4, State: MapRunState.Stopped }, Timeout);
        // The lease runs from the send of the last heartbeat acknowledged, which is before the last ACK went out (and
        // before acks stopped): timed from there. Under a busy loop, heartbeat and ACK can be far apart, so the lower
        // bound only catches a lease that is not the configured one (half of it), the upper one a map served too long.
        var stopped = Stopwatch.GetElapsedTime(session.LastAckSentAt);
        Assert.Equal(0, await player.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(Timeout)); // the player was closed
        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var late = new TcpClient();
            await late.ConnectAsync(IPAddress.Loopback, running.Port);
        });
        output.WriteLine($"last HEARTBEAT_ACK → map stopped after {stopped.TotalMilliseconds:F0} ms (lease {LeaseMs} ms)");
        Assert.InRange(stopped, TimeSpan.FromMilliseconds(LeaseMs / 2), TimeSpan.FromMilliseconds(LeaseMs + 1000));
        await Eventually.HoldsAsync(() => _log.Text.Contains("Lease expired: no HEARTBEAT_ACK within 1000 ms"), Timeout, () => _log.Text);

        // Without a lease an assignment is not served; the heartbeat keeps saying nothing runs.
        await session.SendAsync(new AssignMapPacket("geffen", 4, 20));
        await Eventually.HoldsAsync(() => _log.Text.Contains("Ignored ASSIGN_MAP geffen (epoch 4): no lease"), Timeout, () => _log.Text);
        int sent = session.All<HeartbeatPacket>().Count;
        var heartbeat = await session.WaitForAsync<HeartbeatPacket>(h => h.Sequence > sent + 1, Timeout);
        Assert.Empty(heartbeat.Maps);

        // Acks again: the re-sent assignment runs under the same epoch.
        coordinator.Acknowledge = true;
        await Eventually.HoldsAsync(() => session.All<HeartbeatPacket>().Count > sent + 3, Timeout, session.Describe);
        await session.SendAsync(new AssignMapPacket("geffen", 4, 20));
        await Eventually.HoldsAsync(() => session.All<MapStatePacket>().Count(s => s is { Map: "geffen", Epoch: 4, State: MapRunState.Running }) >= 2,
            Timeout, session.Describe);
    }

    [Fact]
    public async Task GatewayThatAnsweredIsDialledAgainBeforeASilentOne()
    {
        await using var answering = new TestCoordinator { RefuseWith = ProtocolError.Unavailable };
        var silent = new TcpListener(IPAddress.Loopback, 0); // accepts at the kernel level, never answers: a frozen silo
        silent.Start();
        try
        {
            int silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
            await using var rig = new AgentRig(_log, $"{answering.EndpointText},127.0.0.1:{silentPort}", answering.PublicKeyHex);
            await rig.StartAsync();

            await Eventually.HoldsAsync(() => answering.Accepted >= 2, Timeout, () => _log.Text);
            Assert.False(silent.Pending(), "the agent left a gateway that answered for a silent one");
            answering.RefuseWith = ProtocolError.None;
            var session = await answering.NextSessionAsync(Timeout);
            Assert.Equal(rig.Identity.HostId, session.HostId);
            Assert.False(silent.Pending());
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public void RotationRepeatsAnAnsweringGatewayAtMostThreeTimes()
    {
        var rotation = new EndpointRotation([new("a", 1), new("b", 2)]);
        var seen = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            seen.Add(rotation.Current.Host);
            rotation.Next(answered: true);
        }
        Assert.Equal(["a", "a", "a", "a", "b", "b"], seen);
        rotation.Next(answered: false);
        Assert.Equal("a", rotation.Current.Host);
    }
}
