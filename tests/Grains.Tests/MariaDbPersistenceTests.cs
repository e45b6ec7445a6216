using MySqlConnector;
using Orleans.Runtime;
using Orleans.Storage;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>Our MySQL schema honours the Orleans ADO.NET contract, and our grains' state survives silo death on it.</summary>
[Collection(MariaDbCluster.Name)]
public sealed class MariaDbPersistenceTests(MariaDbClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    private IProbeGrain NewProbe() => Grains.GetGrain<IProbeGrain>(Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StateRoundTripsThroughTheDatabase()
    {
        var probe = NewProbe();
        string value = "v-" + Guid.NewGuid().ToString("N");
        await probe.SetAsync(value);
        await probe.DeactivateAsync();
        Assert.Equal(value, await probe.GetAsync());
        Assert.Equal(1, await CountStorageRowsContainingAsync(value));
    }

    [Fact]
    public async Task ClearedStateReadsBackEmpty()
    {
        var probe = NewProbe();
        string value = "c-" + Guid.NewGuid().ToString("N");
        await probe.SetAsync(value);
        await probe.ClearAsync();
        await probe.DeactivateAsync();
        Assert.Null(await probe.GetAsync());
        Assert.Equal(0, await CountStorageRowsContainingAsync(value));
        await probe.SetAsync("again"); // a cleared grain can be written again
        Assert.Equal("again", await probe.GetAsync());
    }

    [Fact]
    public async Task ConcurrentWriteIsDetected()
    {
        var probe = NewProbe();
        string value = "e-" + Guid.NewGuid().ToString("N");
        await probe.SetAsync(value);

        // Another writer got there first: the row's version moved on behind the activation's back.
        await using (var connection = new MySqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE OrleansStorage SET Version = Version + 1 WHERE INSTR(PayloadBinary, @v) > 0";
            command.Parameters.AddWithValue("@v", System.Text.Encoding.UTF8.GetBytes(value));
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        await Assert.ThrowsAsync<InconsistentStateException>(() => probe.SetAsync("lost update"));
    }

    [Fact]
    public async Task ReminderFiresAndUnregisters()
    {
        var probe = NewProbe();
        await probe.StartReminderAsync(TimeSpan.FromSeconds(1));
        // The reminder service runs on the real clock: at 1 s a period, two ticks take real seconds.
        await Eventually.HoldsAsync(() => probe.TicksAsync(), ticks => ticks >= 2, "the reminder ticked twice", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

        await probe.StopReminderAsync();
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM OrleansRemindersTable WHERE GrainId LIKE @g",
            ("@g", "%" + probe.GetPrimaryKeyString() + "%")));
    }

    [Fact]
    public async Task MapAssignmentSurvivesKillOfItsSilo()
    {
        var map = Grains.GetGrain<IMapGrain>("prt_" + Random.Shared.Next(1000, 9999));
        await Grains.PlaceOnAsync(map.GetPrimaryKeyString(), "host-a", HostKind.P2P, "127.0.0.1:6000");
        var assignment = await Grains.PlaceOnAsync(map.GetPrimaryKeyString(), "host-b", HostKind.Vps, "127.0.0.1:6001");

        var management = Grains.GetGrain<IManagementGrain>(0);
        var hostingSilo = await management.GetActivationAddress(map);
        var victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(hostingSilo));
        await fixture.Cluster.KillSiloAsync(victim);

        Exception? unreachable = null;
        var info = (await Eventually.HoldsAsync<MapInfo?>(async () =>
        {
            try
            {
                return await map.GetAsync();
            }
            catch (Exception e) when (e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                unreachable = e;
                return null;
            }
        }, answer => answer is not null, "the map answers from a surviving silo", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100),
            describe: _ => unreachable?.ToString() ?? "no answer"))!;
        Assert.Equal(assignment, info.Assignment);
        Assert.Equal(2, info.Epoch);
        Assert.NotEqual(hostingSilo, await management.GetActivationAddress(map));

        // The killed silo's membership row is declared Dead (6) by the survivor.
        await Eventually.HoldsAsync(() => ScalarAsync("SELECT Status FROM OrleansMembershipTable WHERE Address = @a AND Port = @p AND Generation = @g",
                ("@a", victim.SiloAddress.Endpoint.Address.ToString()), ("@p", victim.SiloAddress.Endpoint.Port), ("@g", victim.SiloAddress.Generation)),
            status => status == 6, "the killed silo declared dead", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        await fixture.Cluster.StartAdditionalSiloAsync();
    }

    private async Task<long> CountStorageRowsContainingAsync(string value) =>
        await ScalarAsync("SELECT COUNT(*) FROM OrleansStorage WHERE INSTR(PayloadBinary, @v) > 0",
            ("@v", System.Text.Encoding.UTF8.GetBytes(value)));

    private async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new MySqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? -1L);
    }
}
