using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Orleans.Runtime;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;
using Xunit.Abstractions;
using P2PCluster.Protocol;

namespace P2PCluster.Silo.Tests;

/// <summary>Player sessions are durable: killing the silo that holds a session grain loses nothing.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SessionOnMariaDbTests(MariaDbFixture db, ITestOutputHelper output)
{
    private const int Account = 2000000, Alice = 150000;

    [Fact]
    public async Task KillingTheSiloHoldingASessionLeavesTheSessionIntact()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("sessions");
        await MariaDbServer.CreateRathenaTablesAsync(connectionString);
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await MariaDbServer.ExecuteAsync(connection, $"""
                INSERT INTO `login` (account_id, userid, user_pass, sex) VALUES ({Account}, 'player1', 'pw', 'F');
                INSERT INTO `char` (char_id, account_id, char_num, name, base_level, last_map, last_x, last_y, sex)
                  VALUES ({Alice}, {Account}, 0, 'Alice', 12, 'prontera', 156, 191, 'F');
                """);
        }
        string clusterId = "s" + Guid.NewGuid().ToString("N")[..8];
        using var key = new KeyFile();
        // The test plays its host without heartbeats (TestPlacement): it must not be declared dead meanwhile.
        var noHeartbeats = new Dictionary<string, string> { ["P2P_distribution__heartbeat_timeout_ms"] = "600000" };
        var a = SiloProcess.Start(connectionString, clusterId, key.Path, environment: noHeartbeats);
        var b = SiloProcess.Start(connectionString, clusterId, key.Path, environment: noHeartbeats);
        await using var _a = a.Process;
        await using var _b = b.Process;
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, a.SiloPort, ClusterOnMariaDbTests.Active, TimeSpan.FromSeconds(60));
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, b.SiloPort, ClusterOnMariaDbTests.Active, TimeSpan.FromSeconds(60));
        await a.Process.WaitForLineAsync("Player accounts from rAthena's login and char tables", TimeSpan.FromSeconds(60));
        await b.Process.WaitForLineAsync("Player accounts from rAthena's login and char tables", TimeSpan.FromSeconds(60));

        using var client = await ClusterOnMariaDbTests.ConnectClientAsync(connectionString, clusterId);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        const string host = "h0000000000000000000a";
        var map = grains.GetGrain<IMapGrain>("prontera");
        var assignment = await grains.PlaceOnAsync("prontera", host, HostKind.Vps, "127.0.0.1:6121");
        await map.InstanceStateAsync(host, assignment.Epoch, MapInstanceState.Running, 6150, 1);

        var session = grains.GetGrain<IPlayerSessionGrain>(Alice);
        var grant = await session.RequestTicketAsync(Account, "prontera"); // the character is read from rAthena's char table
        var before = await session.ClaimTicketAsync(host, "prontera", grant.Epoch, grant.Nonce);
        Assert.Equal((SessionState.OnMap, "prontera", host), (before.State, before.Map, before.HostId));
        Assert.Equal(new CharacterSnapshot(156, 191, 12, 1, 0, 0, 0, 0, 0), before.Character);

        var holder = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(session);
        Assert.NotNull(holder);
        var (victim, survivor) = holder.Endpoint.Port == a.SiloPort ? (a, b) : (b, a);
        var watch = Stopwatch.StartNew();
        victim.Process.Kill();
        var after = await ClusterOnMariaDbTests.RetryAsync(() => session.GetAsync(), TimeSpan.FromSeconds(30));
        output.WriteLine($"session read back {watch.ElapsedMilliseconds} ms after kill -9 of its silo");
        Assert.Equal(before, after);

        // And it goes on from there: the character can be routed again (its host lost, say).
        var again = await ClusterOnMariaDbTests.RetryAsync(() => session.RequestTicketAsync(Account, "prontera"), TimeSpan.FromSeconds(30));
        Assert.Equal(assignment.Epoch, again.Epoch);
        Assert.Equal(SessionState.Moving, (await session.GetAsync()).State);
        var located = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(session);
        Assert.Equal(survivor.SiloPort, located!.Endpoint.Port);
    }
}
