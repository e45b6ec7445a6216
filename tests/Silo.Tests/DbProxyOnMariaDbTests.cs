using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The database proxy of a real silo process on MariaDB: a save is acknowledged only once committed, so killing the
/// silo (kill -9) in the middle of a burst of saves loses none that were acknowledged.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class DbProxyOnMariaDbTests(MariaDbFixture db, ITestOutputHelper output)
{
    private const int Account = 2000000, FirstChar = 150000, Characters = 8;
    private const string Map = "prontera";

    /// <summary>A silo process on a fresh database with <see cref="Characters"/> characters, and a host connected at both ports with all of them on its map.</summary>
    private async Task<Rig> StartAsync(int extraCharacters = 0)
    {
        string connectionString = await db.Server.CreateDatabaseAsync("dbproxy");
        await MariaDbServer.CreateRathenaTablesAsync(connectionString);
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await MariaDbServer.ExecuteAsync(connection, $"""
                INSERT INTO `login` (account_id, userid, user_pass, sex) VALUES ({Account}, 'player1', 'pw', 'F');
                INSERT INTO `char` (char_id, account_id, char_num, name, base_level, job_level, str, agi, vit, `int`, dex, luk,
                                    max_hp, hp, max_sp, sp, last_map, last_x, last_y, sex) VALUES
                {string.Join(",\n", Enumerable.Range(0, Characters + extraCharacters).Select(i =>
                    $"({FirstChar + i}, {Account}, {i}, 'Char{i}', 10, 5, 5, 5, 5, 5, 5, 5, 120, 100, 30, 20, '{Map}', 150, 100, 'F')"))};
                """);
        }
        string clusterId = "d" + Guid.NewGuid().ToString("N")[..8];
        var key = new KeyFile();
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-dbproxy-").FullName, "p2p.conf");
        File.WriteAllText(config, "distribution:\n  heartbeat_timeout_ms: 600000\n"); // the test's host sends no heartbeats
        var silo = SiloProcess.Start(connectionString, clusterId, key.Path, config);
        await silo.Process.WaitForLineAsync("Silo started", TimeSpan.FromSeconds(60));

        // A host connected at the gateway port and at the proxy port, running the map with every character on it.
        var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        var options = new CoordinatorConnectionOptions
        {
            CoordinatorKeys = [key.PublicKey], Role = PeerRole.HostAgent, Identity = identity, HostKind = 1, Endpoint = "127.0.0.1:6121",
        };
        var gateway = await CoordinatorConnection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, silo.CoordinatorPort), options);
        var proxy = await CoordinatorConnection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, silo.DbProxyPort), options);
        long epoch;
        using (var client = await ClusterOnMariaDbTests.ConnectClientAsync(connectionString, clusterId))
        {
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var map = grains.GetGrain<IMapGrain>(Map);
            var assignment = await grains.PlaceOnAsync(Map, hostId, HostKind.Vps, "127.0.0.1:6121");
            await map.InstanceStateAsync(hostId, assignment.Epoch, MapInstanceState.Running, 6150, long.MaxValue);
            epoch = assignment.Epoch;
            for (int i = 0; i < Characters; i++)
            {
                var session = grains.GetGrain<IPlayerSessionGrain>(FirstChar + i);
                var grant = await session.RequestTicketAsync(Account, Map);
                await session.ClaimTicketAsync(hostId, Map, grant.Epoch, grant.Nonce);
            }
        }

        return new Rig(connectionString, silo, key, identity, gateway, proxy, epoch, hostId);
    }

    private sealed record Rig(string ConnectionString, SiloProcess Silo, KeyFile Key, SigningIdentity Identity,
        CoordinatorConnection Gateway, CoordinatorConnection Proxy, long Epoch, string HostId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Gateway.DisposeAsync();
            await Silo.Process.DisposeAsync();
            Identity.Dispose();
            Key.Dispose();
        }
    }

    [Fact]
    public async Task EverySaveAcknowledgedBeforeTheSiloIsKilledIsInTheDatabase()
    {
        await using var rig = await StartAsync();
        var (connectionString, silo, proxy, epoch) = (rig.ConnectionString, rig.Silo, rig.Proxy, rig.Epoch);

        // Each character saves again and again, each save replacing the version the last one acknowledged.
        var acknowledged = new List<(int Char, long Version, byte[] Key, ushort X)>();
        var versions = new long[Characters];
        var pending = new Dictionary<uint, (int Index, byte[] Key, ushort X)>();
        uint nextRequest = 0;
        async Task SendAsync(int index)
        {
            var key = RandomNumberGenerator.GetBytes(16);
            ushort x = (ushort)(100 + (versions[index] + 1) % 100);
            pending[++nextRequest] = (index, key, x);
            await proxy.SendAsync(new DbSaveCharPacket(nextRequest, (uint)(FirstChar + index), Map, (ulong)epoch, (ulong)versions[index], key,
                new CharacterRecord(x, 100, 10, 5, (ulong)versions[index] * 10, 0, (uint)versions[index], 5, 5, 5, 5, 5, 5, 0, 0, 100, 120, 20, 30)));
        }
        for (int i = 0; i < Characters; i++) await SendAsync(i);
        var watch = Stopwatch.StartNew();
        bool killed = false;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var packet = await proxy.Incoming.ReadAsync(deadline.Token);
                if (!packet.TryRead(out DbResultPacket result)) continue;
                Assert.True(pending.Remove(result.RequestId, out var sent), $"an answer to request {result.RequestId}, never sent");
                Assert.Equal(ProtocolError.None, result.Code);
                versions[sent.Index] = (long)result.Version;
                acknowledged.Add((FirstChar + sent.Index, (long)result.Version, sent.Key, sent.X));
                if (!killed && acknowledged.Count >= 200)
                {
                    silo.Process.Kill(); // kill -9, with saves in flight
                    killed = true;
                    output.WriteLine($"silo killed after {acknowledged.Count} acknowledged saves in {watch.ElapsedMilliseconds} ms; {pending.Count} in flight");
                }
                if (!killed) await SendAsync(sent.Index);
            }
        }
        catch (Exception e) when (killed && e is System.Threading.Channels.ChannelClosedException or ProtocolException or IOException or OperationCanceledException)
        {
            // The silo is gone: no more answers.
        }
        Assert.True(killed, "the burst ended before the silo was killed");
        output.WriteLine($"{acknowledged.Count} saves acknowledged in all; checking each in MariaDB");

        await using var check = new MySqlConnection(connectionString);
        await check.OpenAsync();
        var applied = new Dictionary<string, long>();
        await using (var command = new MySqlCommand("SELECT idem_key, version FROM p2p_db_idempotency", check))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) applied[Convert.ToHexString((byte[])reader[0])] = reader.GetInt64(1);
        var audited = new HashSet<string>();
        await using (var command = new MySqlCommand("SELECT idem_key FROM p2p_db_audit WHERE accepted = 1 AND operation = 'save'", check))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) audited.Add(Convert.ToHexString((byte[])reader[0]));
        foreach (var (character, version, saveKey, _) in acknowledged)
        {
            string hex = Convert.ToHexString(saveKey);
            Assert.True(applied.TryGetValue(hex, out long stored), $"acknowledged save of char {character} (version {version}) is not in p2p_db_idempotency");
            Assert.Equal(version, stored);
            Assert.Contains(hex, audited);
        }
        // The row holds the last acknowledged save, or a later one that committed while its answer was lost.
        foreach (var last in acknowledged.GroupBy(a => a.Char).Select(g => g.MaxBy(a => a.Version)))
        {
            await using var command = new MySqlCommand(
                "SELECT v.version, c.last_x FROM p2p_char_version v JOIN `char` c ON c.char_id = v.char_id WHERE v.char_id = @id", check);
            command.Parameters.AddWithValue("@id", last.Char);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            long version = reader.GetInt64(0);
            Assert.True(version >= last.Version, $"char {last.Char}: version {version} in the database, {last.Version} acknowledged");
            // rAthena's char table is MyISAM: the row update of a save in flight at the kill is not rolled back with
            // its transaction, so the row may already hold that save (which the host then retries, same key) while
            // the version is still the acknowledged one. Never anything older than the acknowledged save.
            var allowed = pending.Values.Where(p => FirstChar + p.Index == last.Char).Select(p => p.X).Append(last.X).ToList();
            if (version == last.Version) Assert.Contains((ushort)reader.GetInt32(1), allowed);
        }
    }

    [Fact]
    public async Task EachRefusalHasItsOwnCodeAndAnAuditRowInMariaDb()
    {
        await using var rig = await StartAsync(extraCharacters: 1);
        uint request = 0;
        async Task<ProtocolError> SaveAsync(int charId, long epoch, ulong expected, CharacterRecord record, byte[]? key = null)
        {
            uint id = ++request;
            await rig.Proxy.SendAsync(new DbSaveCharPacket(id, (uint)charId, Map, (ulong)epoch, expected, key ?? RandomNumberGenerator.GetBytes(16), record));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var packet = await rig.Proxy.Incoming.ReadAsync(timeout.Token);
                if (packet.TryRead(out DbResultPacket result) && result.RequestId == id) return result.Code;
            }
        }
        static CharacterRecord Record(ushort x = 150, ushort baseLevel = 10, uint zeny = 0) =>
            new(x, 100, baseLevel, 5, 0, 0, zeny, 5, 5, 5, 5, 5, 5, 0, 0, 100, 120, 20, 30);
        static ProtocolError Code(ClusterError error) => ProtocolError.ClusterBase + (ushort)error;

        var key = RandomNumberGenerator.GetBytes(16);
        Assert.Equal(ProtocolError.None, await SaveAsync(FirstChar, rig.Epoch, 0, Record(x: 151), key));
        Assert.Equal(ProtocolError.None, await SaveAsync(FirstChar, rig.Epoch, 0, Record(x: 151), key));              // retried: applied once
        Assert.Equal(Code(ClusterError.StaleEpoch), await SaveAsync(FirstChar, rig.Epoch + 1, 1, Record()));
        Assert.Equal(Code(ClusterError.NotOnMap), await SaveAsync(FirstChar + Characters, rig.Epoch, 0, Record()));  // never entered the map
        Assert.Equal(Code(ClusterError.OutOfBounds), await SaveAsync(FirstChar, rig.Epoch, 1, Record(baseLevel: 999)));
        Assert.Equal(Code(ClusterError.ImplausibleDelta), await SaveAsync(FirstChar, rig.Epoch, 1, Record(zeny: 999_000_000)));
        Assert.Equal(Code(ClusterError.VersionConflict), await SaveAsync(FirstChar, rig.Epoch, 0, Record()));

        await using var check = new MySqlConnection(rig.ConnectionString);
        await check.OpenAsync();
        var rows = new List<(int Char, bool Accepted, int Code)>();
        await using (var command = new MySqlCommand("SELECT char_id, accepted, code FROM p2p_db_audit ORDER BY id", check))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetBoolean(1), reader.GetInt32(2)));
        Assert.Equal(
            [(FirstChar, true, 0), (FirstChar, false, (int)ClusterError.StaleEpoch), (FirstChar + Characters, false, (int)ClusterError.NotOnMap),
             (FirstChar, false, (int)ClusterError.OutOfBounds), (FirstChar, false, (int)ClusterError.ImplausibleDelta), (FirstChar, false, (int)ClusterError.VersionConflict)],
            rows);
        await using (var command = new MySqlCommand($"SELECT last_x, zeny, base_level FROM `char` WHERE char_id = {FirstChar}", check))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((151, 0L, 10), (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt32(2))); // only the accepted save
        }
    }
}
