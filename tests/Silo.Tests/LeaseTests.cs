using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;
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
            await Task.Delay(10); // sampling, on purpose: the loop timestamps when the cut-off host stops accepting
        }
        var handedAt = map.Assignment!.AssignedAt;
        var closedAt = await playerClosed.WaitAsync(TimeSpan.FromSeconds(10));
        var running = await WaitForAsync(cluster, m => m.Assignment?.HostId == otherId && m.InstanceState == MapInstanceState.Running, TimeSpan.FromSeconds(10));
        // This process only watches, and on a busy machine it learns of each event late (CI: the player's close was read
        // 400 ms after the host had logged it, and after the hand-over). So the watcher's times decide only when they
        // prove the order; otherwise the host's own log line, written when it stopped, is the time it stopped serving.
        var stoppedAt = LoggedAt(cutOff, $"[5201] Map {Map} stopped (epoch {first.Epoch}, lease expired)", handedAt);
        output.WriteLine($"cut at 0 ms; cut-off host logged it stopped serving at {Ms(stoppedAt)} ms; this test saw its player closed at {Ms(closedAt)} ms "
            + $"and connections refused by {Ms(refusedAt)} ms; the coordinator handed {Map} to the other host at {Ms(handedAt)} ms "
            + $"(epoch {first.Epoch} → {map.Epoch}); gap {(handedAt - Min(stoppedAt, Max(closedAt, refusedAt))).TotalMilliseconds:F0} ms "
            + $"(lease {LeaseMs} ms, heartbeat timeout {DistributionCluster.HeartbeatTimeoutMs} ms)");
        Assert.True(stoppedAt < handedAt || (refusedAt < handedAt && closedAt < handedAt),
            $"the cut-off host still served at the hand-over\n{cutOff.Output}");
        // What the host says it did, seen from outside: its port refuses new players and the held one was closed.
        Assert.False(await AcceptsAsync(first.InstancePort), "the cut-off host's map port still accepts connections");
        Assert.Equal(otherId, running.Assignment!.HostId);

        double Ms(DateTimeOffset? t) => t is { } v ? (v - cutAt).TotalMilliseconds : double.NaN;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>
    /// When <paramref name="agent"/> wrote the line containing <paramref name="text"/>, by its own clock (the same machine's):
    /// its console lines start with the local time of day (HH:mm:ss.fff), read here on the day of <paramref name="near"/>.
    /// </summary>
    private static DateTimeOffset LoggedAt(ProgramProcess agent, string text, DateTimeOffset near)
    {
        string line = agent.Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"the agent never logged \"{text}\"\n{agent.Output}");
        var timeOfDay = TimeOnly.ParseExact(line[..12], "HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
        var local = near.ToLocalTime();
        var at = new DateTimeOffset(DateOnly.FromDateTime(local.DateTime).ToDateTime(timeOfDay), local.Offset);
        // Around midnight the line may belong to the day before or after.
        if (at - near > TimeSpan.FromHours(12)) at = at.AddDays(-1);
        else if (near - at > TimeSpan.FromHours(12)) at = at.AddDays(1);
        return at;
    }

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

    private static Task<MapInfo> WaitForAsync(DistributionCluster cluster, Func<MapInfo, bool> done, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => cluster.Grains.GetGrain<IMapGrain>(Map).GetAsync(), done, $"{Map} as expected", timeout,
            describe: map => $"{map}\n{cluster.Logs()}");
}
