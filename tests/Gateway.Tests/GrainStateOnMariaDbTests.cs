using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>Grain state and the character row on a real MariaDB, through the silo as p2p-silo composes it (issue 11).</summary>
[Collection(MariaDbSiloCollection.Name)]
public sealed class GrainStateOnMariaDbTests(MariaDbSiloFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static int _next;

    private static string NewMap() => $"st{Environment.ProcessId % 1000}x{Interlocked.Increment(ref _next)}";

    [Fact]
    public async Task EachMapsPolicySurvivesReactivationIntact()
    {
        var policies = new Dictionary<string, MapPolicy>
        {
            [NewMap()] = new(Critical: true, P2PAllowed: false, MaxPlayers: 150, MinScore: 40),
            [NewMap()] = new(Critical: false, P2PAllowed: true, MaxPlayers: 120, MinScore: 0),
            [NewMap()] = new(Critical: false, P2PAllowed: false, MaxPlayers: 100, MinScore: 12.5),
        };
        foreach (var (map, policy) in policies) await fixture.Grains.GetGrain<IMapGrain>(map).SetPolicyAsync(policy);

        // Every grain deactivates; each map's state is read back from the database (as after a silo's eviction).
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        foreach (var (map, policy) in policies)
            Assert.Equal((map, policy), (map, (await fixture.Grains.GetGrain<IMapGrain>(map).GetAsync()).Policy));
        foreach (var (map, policy) in policies.Reverse())
            Assert.Equal((map, policy), (map, (await fixture.Grains.GetGrain<IMapGrain>(map).GetAsync()).Policy));
        Assert.Equal(new MapPolicy(false, true, 100, 0), MapPolicy.Default);
        Assert.Equal(MapPolicy.Default, (await fixture.Grains.GetGrain<IMapGrain>(NewMap()).GetAsync()).Policy);
    }

    [Fact]
    public void TheStorageSerializerNeverSharesOrFillsADefault()
    {
        var serializer = fixture.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(StorageNames.State).GrainStorageSerializer;
        var first = new Grains.MapState { Policy = new MapPolicy(true, false, 150, 40) };
        var second = new Grains.MapState { Policy = new MapPolicy(false, true, 120, 0) };
        var a = serializer.Deserialize<Grains.MapState>(serializer.Serialize(first))!;
        var b = serializer.Deserialize<Grains.MapState>(serializer.Serialize(second))!;
        Assert.NotSame(a.Policy, b.Policy);
        Assert.Equal((first.Policy, second.Policy), (a.Policy, b.Policy));
        Assert.Equal(new MapPolicy(false, true, 100, 0), MapPolicy.Default);

        var host = serializer.Deserialize<Grains.HostState>(serializer.Serialize(new Grains.HostState { Capacity = new HostCapacity(9, 9, 9, 9, 9) }))!;
        Assert.Equal(new HostCapacity(9, 9, 9, 9, 9), host.Capacity);
        Assert.Equal(new HostCapacity(5, 100, 80, 85, 100), HostCapacity.Default);
    }

    [Fact]
    public async Task ADatabaseOutageIsStoreUnavailableAndTheHostsSessionStays()
    {
        string map = NewMap();
        await fixture.Grains.GetGrain<IMapGrain>(map).SetPolicyAsync(new MapPolicy(false, true, 100, 1));
        using var identity = SigningIdentity.Generate();
        await using var host = await CoordinatorConnection.ConnectAsync(fixture.Endpoint, fixture.HostOptions(identity));
        await host.SendAsync(new HostCapacityPacket(5, 100, 80, 85, 100));
        await host.SendAsync(new HeartbeatPacket(1, 100, 100, 10, []));
        Assert.Equal(1u, (await NextAsync<HeartbeatAckPacket>(host)).Sequence);

        await fixture.CutDatabaseAsync();
        try
        {
            // A state write, and an activation whose state read fails: our error, not the provider's exception.
            var write = await Assert.ThrowsAsync<ClusterException>(() => fixture.Grains.GetGrain<IMapGrain>(map).SetPolicyAsync(new MapPolicy(false, true, 100, 2)));
            Assert.Equal(ClusterError.StoreUnavailable, write.Code);
            // Orleans wraps a failed activation's error in an OrleansException; ours is inside, never the provider's.
            var read = await Record.ExceptionAsync(() => fixture.Grains.GetGrain<IMapGrain>(NewMap()).GetAsync());
            Assert.NotNull(read);
            Assert.Equal(ClusterError.StoreUnavailable, ClusterErrorIn(read)?.Code);

            // The host's capacity change cannot be stored: that packet is not applied, the session stays.
            await host.SendAsync(new HostCapacityPacket(6, 100, 80, 85, 100));
            await host.SendAsync(new HeartbeatPacket(2, 100, 100, 10, []));
            Assert.Equal(2u, (await NextAsync<HeartbeatAckPacket>(host)).Sequence);
        }
        finally
        {
            await fixture.RestoreDatabaseAsync();
        }
        await host.SendAsync(new HostCapacityPacket(6, 100, 80, 85, 100));
        await host.SendAsync(new HeartbeatPacket(3, 100, 100, 10, []));
        Assert.Equal(3u, (await NextAsync<HeartbeatAckPacket>(host)).Sequence);
        Assert.False(host.Completion.IsCompleted, "the host's session was closed");
    }

    [Fact]
    public async Task TheOnlineFlagFollowsTheSessionWhenTheDeposedHostsOfflineIsRefused()
    {
        const int account = 2100001, charId = 2100001;
        string map = NewMap();
        await fixture.ExecuteAsync($"""
            INSERT INTO `login` (account_id, userid, user_pass, sex, state) VALUES ({account}, 'flag{account}', 'pw', 'F', 0);
            INSERT INTO `char` (char_id, account_id, char_num, name, last_map, last_x, last_y, online, sex)
            VALUES ({charId}, {account}, 0, 'Flag', '{map}', 50, 60, 0, 'F');
            """);
        const string hostA = "h0000000000000000a001", hostB = "h0000000000000000b001";
        var mapGrain = fixture.Grains.GetGrain<IMapGrain>(map);
        var at = await fixture.Grains.PlaceOnAsync(map, hostA, HostKind.Vps, "127.0.0.1:6121");
        await mapGrain.InstanceStateAsync(hostA, at.Epoch, MapInstanceState.Running, 6150, 1);
        var session = fixture.Grains.GetGrain<IPlayerSessionGrain>(charId);
        var grant = await session.RequestTicketAsync(account, map);
        await session.ClaimTicketAsync(hostA, map, at.Epoch, grant.Nonce);
        await session.SetOnlineAsync(hostA, map, at.Epoch, online: true, Guid.NewGuid().ToByteArray());
        Assert.Equal(1L, await fixture.ScalarAsync($"SELECT online FROM `char` WHERE char_id = {charId}"));

        // Host A is deposed: the map moves to B. A's "offline" is refused, rightly; then A reports the player gone.
        await fixture.Grains.PlaceOnAsync(map, hostB, HostKind.Vps, "127.0.0.1:6122");
        var refused = await Assert.ThrowsAsync<ClusterException>(() => session.SetOnlineAsync(hostA, map, at.Epoch, online: false, Guid.NewGuid().ToByteArray()));
        Assert.Equal(ClusterError.StaleEpoch, refused.Code);
        Assert.Equal(SessionState.Offline, (await session.LeftAsync(hostA, map, at.Epoch)).State);

        // The coordinator itself clears the flag, within the stated bound (the first attempt runs at once).
        var watch = Stopwatch.StartNew();
        await Eventually.HoldsAsync(() => fixture.ScalarAsync($"SELECT online FROM `char` WHERE char_id = {charId}"), online => online == 0,
            "char.online back to 0", Wait);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"char.online took {watch.Elapsed} to become 0");
        Assert.Equal(map, await StringAsync($"SELECT last_map FROM `char` WHERE char_id = {charId}"));
    }

    private static ClusterException? ClusterErrorIn(Exception? e)
    {
        for (int depth = 0; e is not null && depth < 16; depth++, e = e.InnerException)
            if (e is ClusterException cluster) return cluster;
        return null;
    }

    private async Task<string> StringAsync(string sql)
    {
        await using var connection = new MySqlConnector.MySqlConnection(fixture.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T> NextAsync<T>(CoordinatorConnection connection) where T : IPacket<T>
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var packet = await connection.Incoming.ReadAsync(timeout.Token);
            if (packet.TryRead(out T value)) return value;
        }
    }
}
