using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PCluster.Grains.Interfaces;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A host cut off from the coordinator (a partition: silence both ways, no reconnect possible) must stop serving its
/// map before the coordinator hands the map to another host: the two hosts' serving windows never overlap.
/// </summary>
public sealed class LeaseTests(ITestOutputHelper output)
{
    private const string Map = "geffen";
    private const int LeaseMs = 1000; // the cluster's heartbeat timeout is 1500 ms (DistributionCluster)

    [Fact]
    public async Task PartitionedHostStopsServingBeforeItsMapIsHandedOn()
    {
        await using var cluster = await DistributionCluster.StartAsync($"  {Map}:\n");
        await using var link = new LinkCutter(new IPEndPoint(IPAddress.Loopback, cluster.CoordinatorPort));
        var lease = new Dictionary<string, string> { ["P2P_coordinator__lease_ms"] = LeaseMs.ToString() };
        await using var cutOff = await AgentProcess.StartAsync($"127.0.0.1:{link.Port}", cluster.PublicKeyFile, "p2p",
            dbProxyPort: cluster.DbProxyPort, extraEnvironment: lease);
        string cutOffId = DistributionCluster.HostIdOf(cutOff);
        var first = await WaitForAsync(cluster, m => m.Assignment?.HostId == cutOffId && m.InstanceState == MapInstanceState.Running,
            TimeSpan.FromSeconds(30));
        await using var other = await AgentProcess.StartAsync($"127.0.0.1:{cluster.CoordinatorPort}", cluster.PublicKeyFile, "p2p",
            dbProxyPort: cluster.DbProxyPort, extraEnvironment: lease);
        string otherId = DistributionCluster.HostIdOf(other);

        // A player's connection is held open on the cut-off host: it must be closed, and the port refuse new ones.
        using var player = new TcpClient();
        await player.ConnectAsync(IPAddress.Loopback, first.InstancePort);
        var playerClosed = WaitClosedAsync(player);

        var cutAt = DateTimeOffset.UtcNow;
        link.Cut();
        DateTimeOffset? refusedAt = null;
        var watch = Stopwatch.StartNew();
        MapInfo map = first;
        while (map.Assignment?.HostId != otherId)
        {
            if (refusedAt is null && !await AcceptsAsync(first.InstancePort)) refusedAt = DateTimeOffset.UtcNow;
            map = await cluster.Grains.GetGrain<IMapGrain>(Map).GetAsync();
            if (watch.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"map not handed on within 20 s: {map}\n{cluster.Logs()}\n{cutOff.Output}");
            await Task.Delay(10);
        }
        var handedAt = map.Assignment!.AssignedAt;
        var closedAt = await playerClosed.WaitAsync(TimeSpan.FromSeconds(10));
        var running = await WaitForAsync(cluster, m => m.Assignment?.HostId == otherId && m.InstanceState == MapInstanceState.Running, TimeSpan.FromSeconds(10));
        output.WriteLine($"cut at 0 ms; cut-off host closed its player at {Ms(closedAt)} ms and refused connections by {Ms(refusedAt)} ms; "
            + $"the coordinator handed {Map} to the other host at {Ms(handedAt)} ms (epoch {first.Epoch} → {map.Epoch}); "
            + $"gap {(handedAt - Max(closedAt, refusedAt)).TotalMilliseconds:F0} ms (lease {LeaseMs} ms, heartbeat timeout {DistributionCluster.HeartbeatTimeoutMs} ms)");
        Assert.True(refusedAt is not null && refusedAt < handedAt, $"the cut-off host still served at the hand-over\n{cutOff.Output}");
        Assert.True(closedAt < handedAt, $"the player stayed on the cut-off host past the hand-over\n{cutOff.Output}");
        Assert.Equal(otherId, running.Assignment!.HostId);

        double Ms(DateTimeOffset? t) => t is { } v ? (v - cutAt).TotalMilliseconds : double.NaN;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;

    private static async Task<DateTimeOffset> WaitClosedAsync(TcpClient player)
    {
        var buffer = new byte[256];
        try
        {
            while (await player.GetStream().ReadAsync(buffer) > 0) { }
        }
        catch (IOException)
        {
        }
        return DateTimeOffset.UtcNow;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task<MapInfo> WaitForAsync(DistributionCluster cluster, Func<MapInfo, bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        MapInfo map;
        while (!done(map = await cluster.Grains.GetGrain<IMapGrain>(Map).GetAsync()))
        {
            if (watch.Elapsed > timeout) Assert.Fail($"not reached in {timeout}: {map}\n{cluster.Logs()}");
            await Task.Delay(50);
        }
        return map;
    }
}
