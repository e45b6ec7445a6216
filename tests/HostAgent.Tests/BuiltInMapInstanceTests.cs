using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>The placeholder map server over real loopback sockets.</summary>
public sealed class BuiltInMapInstanceTests(ITestOutputHelper output)
{
    private readonly LogCollector _log = new(output);

    private BuiltInMapInstance Instance(int maxPlayers = 10, TimeSpan? idle = null) =>
        new("prontera", IPAddress.Loopback, TestPorts.Range(1).Start, maxPlayers, idle ?? TimeSpan.FromSeconds(30), _log.For<BuiltInMapInstance>());

    [Fact]
    public async Task AcceptsAConnectionAndCountsItAsAPlayerWhileOpen()
    {
        var instance = Instance();
        await instance.StartAsync(CancellationToken.None);
        Assert.Equal(MapRunState.Running, instance.State);
        try
        {
            using (var player = new TcpClient())
            {
                await player.ConnectAsync(IPAddress.Loopback, instance.Port);
                await Eventually.HoldsAsync(() => instance.Players == 1, TimeSpan.FromSeconds(5), () => $"{instance.Players} players");
            }
            await Eventually.HoldsAsync(() => instance.Players == 0, TimeSpan.FromSeconds(5), () => $"{instance.Players} players after close");
        }
        finally
        {
            await instance.StopAsync();
        }
    }

    [Fact]
    public async Task IdleConnectionIsClosedOneIdleTimeoutAfterItsLastByte()
    {
        var idle = TimeSpan.FromSeconds(2);
        var instance = Instance(idle: idle);
        await instance.StartAsync(CancellationToken.None);
        try
        {
            using var player = new TcpClient();
            await player.ConnectAsync(IPAddress.Loopback, instance.Port);
            await Eventually.HoldsAsync(() => instance.Players == 1, TimeSpan.FromSeconds(5), () => $"{instance.Players} players");
            await Task.Delay(idle / 4);
            var stream = player.GetStream();
            await stream.WriteAsync("x"u8.ToArray());
            var lastByte = Stopwatch.StartNew();

            using var timeout = new CancellationTokenSource(idle * 3);
            Assert.Equal(0, await stream.ReadAsync(new byte[1], timeout.Token));
            // Closed by the idle timer restarted by that byte, not by the one started at accept.
            Assert.True(lastByte.Elapsed >= idle * 0.9, $"closed {lastByte.ElapsedMilliseconds} ms after the last byte");
            await Eventually.HoldsAsync(() => instance.Players == 0, TimeSpan.FromSeconds(5), () => $"{instance.Players} players");
        }
        finally
        {
            await instance.StopAsync();
        }
    }

    [Fact]
    public async Task PlayersBeyondTheLimitAreTurnedAway()
    {
        var instance = Instance(maxPlayers: 1);
        await instance.StartAsync(CancellationToken.None);
        try
        {
            using var first = new TcpClient();
            await first.ConnectAsync(IPAddress.Loopback, instance.Port);
            await Eventually.HoldsAsync(() => instance.Players == 1, TimeSpan.FromSeconds(5), () => $"{instance.Players} players");
            using var second = new TcpClient();
            await second.ConnectAsync(IPAddress.Loopback, instance.Port);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            Assert.Equal(0, await second.GetStream().ReadAsync(new byte[1], timeout.Token));
            Assert.Equal(1, instance.Players);
        }
        finally
        {
            await instance.StopAsync();
        }
    }

    [Fact]
    public async Task StoppingClosesThePortAndEveryPlayer()
    {
        var instance = Instance();
        await instance.StartAsync(CancellationToken.None);
        using var player = new TcpClient();
        await player.ConnectAsync(IPAddress.Loopback, instance.Port);
        await Eventually.HoldsAsync(() => instance.Players == 1, TimeSpan.FromSeconds(5), () => $"{instance.Players} players");

        await instance.StopAsync();
        Assert.Equal(MapRunState.Stopped, instance.State);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            Assert.Equal(0, await player.GetStream().ReadAsync(new byte[1], timeout.Token));
        }
        catch (IOException)
        {
            // Reset rather than closed: gone either way.
        }
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, instance.Port));
    }

    [Fact]
    public async Task TakenPortCannotStart()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, TestPorts.Range(1).Start);
        squatter.Start();
        var instance = new BuiltInMapInstance("prontera", IPAddress.Loopback, ((IPEndPoint)squatter.LocalEndpoint).Port, 10, TimeSpan.FromSeconds(30),
            _log.For<BuiltInMapInstance>());
        await Assert.ThrowsAsync<MapStartException>(() => instance.StartAsync(CancellationToken.None));
    }
}
