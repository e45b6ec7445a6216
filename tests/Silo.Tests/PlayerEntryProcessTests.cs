using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A player through real processes: login and resolve at the silo's gateway, ENTER with the ticket at a host agent's
/// map instance (claimed with the coordinator), and again on another host after the first one is killed.
/// </summary>
public sealed class PlayerEntryProcessTests(ITestOutputHelper output)
{
    private const uint Account = 2000000;
    private const uint Alice = 150000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const ProtocolError MapUnavailable = ProtocolError.ClusterBase + (ushort)ClusterError.MapUnavailable;

    /// <summary>Alice as the accounts file describes her (at 156,191, level 1, nothing earned yet), with the hp and sp the embedded store gives a new row.</summary>
    private static readonly CharacterState Initial = new(156, 191, 1, 1, 0, 0, 0, 40, 11);

    /// <summary>One account with one character whose last map is prontera, in the format of conf/p2p/dev_accounts.yaml.</summary>
    private static string WriteAccounts()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("p2p-accounts-").FullName, "accounts.yaml");
        File.WriteAllText(path, $"""
            accounts:
              - account_id: {Account}
                userid: player1
                user_pass: player1pw
                sex: F
                characters:
                  - char_id: {Alice}
                    name: Alice
                    last_map: prontera
                    last_x: 156
                    last_y: 191
            """);
        return path;
    }

    [Fact]
    public async Task PlayerEntersOnceWithItsTicketAndOnTheNewHostAfterAKill()
    {
        await using var cluster = await DistributionCluster.StartAsync("  prontera:", $"accounts:\n  dev_file: {WriteAccounts()}");
        var first = await cluster.StartAgentAsync("p2p");
        string firstId = DistributionCluster.HostIdOf(first);
        var map = await WaitForRunningAsync(cluster, TimeSpan.FromSeconds(30));
        Assert.Equal(firstId, map.Assignment!.HostId);
        var second = await cluster.StartAgentAsync("p2p");
        string secondId = DistributionCluster.HostIdOf(second);

        byte[] coordinatorKey = KeyFiles.ParsePublic(await File.ReadAllTextAsync(cluster.PublicKeyFile))!;
        await using var player = await PlayerClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, cluster.CoordinatorPort), [coordinatorKey]);
        Assert.Equal(Account, (await player.LoginAsync("player1", "player1pw")).AccountId);
        var route = await player.ResolveAsync(Alice, "prontera");
        Assert.Equal((firstId, (ulong)map.Epoch), (route.HostId, route.Epoch));

        await using (var entered = await MapConnection.EnterAsync(route, Timeout))
        {
            Assert.Equal(new EnteredPacket(Account, Alice, "prontera", route.Epoch, Initial), entered.Entered);
            var replayed = await Assert.ThrowsAsync<RequestRefusedException>(() => MapConnection.EnterAsync(route, Timeout));
            Assert.Equal(ProtocolError.TicketReplayed, replayed.Code);
            var session = await cluster.Grains.GetGrain<IPlayerSessionGrain>(Alice).GetAsync();
            Assert.Equal((SessionState.OnMap, "prontera", firstId, (long)route.Epoch), (session.State, session.Map, session.HostId, session.Epoch));

            // kill -9 the host the player is on; the client asks again until the route leads somewhere it can enter.
            var watch = Stopwatch.StartNew();
            first.Kill();
            var (moved, attempts) = await EnterAgainAsync(player, TimeSpan.FromSeconds(30), cluster);
            await using var _ = moved;
            var took = watch.Elapsed;
            output.WriteLine($"kill -9 → ENTERED on the new host after {took.TotalMilliseconds:F0} ms; before that: {string.Join("; ", attempts)}");

            var now = await cluster.Grains.GetGrain<IPlayerSessionGrain>(Alice).GetAsync();
            Assert.Equal(new EnteredPacket(Account, Alice, "prontera", moved.Entered.Epoch, Initial), moved.Entered);
            Assert.True(moved.Entered.Epoch > route.Epoch, $"epoch {moved.Entered.Epoch} after {route.Epoch}");
            Assert.Equal((SessionState.OnMap, secondId, (long)moved.Entered.Epoch), (now.State, now.HostId, now.Epoch));
            Assert.True(took < TimeSpan.FromSeconds(15), $"took {took}");
        }
    }

    [Fact]
    public async Task AWarpAcrossTwoHostsSavesTheCharacterAndKeepsItsData()
    {
        await using var cluster = await DistributionCluster.StartAsync("  prontera:\n  geffen:", $"accounts:\n  dev_file: {WriteAccounts()}");
        // One map per host, so prontera and geffen run on different PCs.
        var a = await cluster.StartAgentAsync("p2p", maxMaps: 1);
        var b = await cluster.StartAgentAsync("p2p", maxMaps: 1);
        await WaitForRunningAsync(cluster, TimeSpan.FromSeconds(30));
        var geffen = await WaitForRunningAsync(cluster, TimeSpan.FromSeconds(30), "geffen");
        byte[] coordinatorKey = KeyFiles.ParsePublic(await File.ReadAllTextAsync(cluster.PublicKeyFile))!;
        await using var player = await PlayerClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, cluster.CoordinatorPort), [coordinatorKey]);
        await player.LoginAsync("player1", "player1pw");
        var route = await player.ResolveAsync(Alice, "prontera");
        Assert.NotEqual(route.HostId, geffen.Assignment!.HostId);

        // Within what the database proxy accepts for a character of the embedded store (hp/sp at most its max 40/11):
        // the host saves through the proxy before the warp, and a refused save refuses the warp.
        var progress = new CharacterState(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 35, 9);
        RouteInfo next;
        await using (var onProntera = await MapConnection.EnterAsync(route, Timeout))
        {
            // A destination no host runs is refused, and the character stays (its state saved).
            var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => onProntera.WarpAsync("payon", progress, Timeout));
            Assert.Equal(MapUnavailable, refused.Code);
            next = await onProntera.WarpAsync("geffen", progress, Timeout);
            Assert.True(await onProntera.ClosedByHostAsync(Timeout), "the old host lets the player go after MOVE");
        }
        Assert.Equal(("geffen", geffen.Assignment.HostId, (ulong)geffen.Epoch), (next.Map, next.HostId, next.Epoch));
        var moving = await cluster.Grains.GetGrain<IPlayerSessionGrain>(Alice).GetAsync();
        Assert.Equal((SessionState.Moving, "geffen"), (moving.State, moving.TargetMap));

        await using var onGeffen = await MapConnection.EnterAsync(next, Timeout);
        Assert.Equal(new EnteredPacket(Account, Alice, "geffen", next.Epoch, progress), onGeffen.Entered);
        var session = await cluster.Grains.GetGrain<IPlayerSessionGrain>(Alice).GetAsync();
        Assert.Equal((SessionState.OnMap, "geffen", next.HostId), (session.State, session.Map, session.HostId));
        Assert.Equal(new CharacterSnapshot(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 35, 9), session.Character);
        GC.KeepAlive((a, b));
    }

    /// <summary>Resolves and enters until it gets in, as a client does when its host is gone; returns the connection and what failed before.</summary>
    private static async Task<(MapConnection Connection, List<string> Attempts)> EnterAgainAsync(PlayerClient player, TimeSpan timeout, DistributionCluster cluster)
    {
        var attempts = new List<string>();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (watch.Elapsed > timeout) Assert.Fail($"not on the map again within {timeout}: {string.Join("; ", attempts)}\n{cluster.Logs()}");
            try
            {
                var route = await player.ResolveAsync(Alice, "prontera");
                try
                {
                    return (await MapConnection.EnterAsync(route, Timeout), attempts);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or RequestRefusedException or ProtocolException)
                {
                    attempts.Add($"{watch.ElapsedMilliseconds} ms: {route.HostId} epoch {route.Epoch}: {e.GetType().Name} {e.Message}");
                }
            }
            catch (RequestRefusedException e) when (e.Code == MapUnavailable) // the map is between hosts
            {
                attempts.Add($"{watch.ElapsedMilliseconds} ms: resolve: {e.Message}");
            }
            await Task.Delay(100); // a client's retry pace, on purpose: each attempt is recorded
        }
    }

    private static Task<MapInfo> WaitForRunningAsync(DistributionCluster cluster, TimeSpan timeout, string name = "prontera") =>
        PlayerClientCluster.WaitForRunningAsync(cluster, name, timeout);
}
