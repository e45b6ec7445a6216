using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Client;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;
using P2PCluster.Silo;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// A silo on a real MariaDB (least-privilege user of sql/grants.sql) rolls its coordinator key over without a restart:
/// it seeds the key set from its key file, keeps signing with it while a rotated key is announced, signs with the new
/// key from its activateAt on (connections made before keep working), and drops a revoked key at once.
/// </summary>
public sealed class KeyRolloverTests : IAsyncLifetime
{
    private const int RolloverMs = 2000; // the silo re-reads the key set every 500 ms
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("p2p-roll-");
    private MariaDbServer _server = null!;
    private WebApplication _app = null!;
    private IPEndPoint _endpoint = null!;
    private byte[] _seed = [];
    private ICoordinatorKeyStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await MariaDbServer.StartAsync();
        string connectionString = await _server.CreateLeastPrivilegeUserAsync(await _server.CreateDatabaseAsync("rollover"));
        int port = FreePort.Next();
        string keyFile = Path.Combine(_dataDir.FullName, "coordinator.pem");
        using (var seed = KeyFiles.CreatePrivate(keyFile)) _seed = seed.PublicKey;
        var settings = CoordinatorSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["database:connection_string"] = connectionString,
            ["coordinator:port"] = port.ToString(),
            ["coordinator:db_proxy_port"] = FreePort.Next().ToString(),
            ["coordinator:bind_address"] = "127.0.0.1",
            ["cluster:advertised_address"] = "127.0.0.1",
            ["cluster:silo_port"] = FreePort.Next().ToString(),
            ["cluster:gateway_port"] = FreePort.Next().ToString(),
            ["http:urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["security:data_dir"] = _dataDir.FullName,
            ["security:coordinator_key_file"] = keyFile,
            ["security:key_rollover_ms"] = RolloverMs.ToString(),
            ["distribution:heartbeat_timeout_ms"] = "600000",
        }).Build());
        _app = SiloHost.Build(settings, CoordinatorKey.Load(settings));
        await _app.StartAsync();
        _endpoint = new IPEndPoint(IPAddress.Loopback, port);
        _store = _app.Services.GetRequiredService<ICoordinatorKeyStore>();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        _dataDir.Delete(recursive: true);
    }

    private Task<CoordinatorConnection> ConnectAsync(params byte[][] pinned) =>
        CoordinatorConnection.ConnectAsync(_endpoint, new CoordinatorConnectionOptions { CoordinatorKeys = pinned, Role = PeerRole.GameClient });

    private async Task<bool> AcceptsAsync(byte[] pinned)
    {
        try
        {
            await using var connection = await ConnectAsync(pinned);
            return true;
        }
        catch (ProtocolException e) when (e.Code == ProtocolError.BadSignature)
        {
            return false;
        }
    }

    /// <summary>Waits (deadline <paramref name="within"/>) until a handshake pinned to <paramref name="pinned"/> alone succeeds; returns when.</summary>
    private async Task<DateTimeOffset> FirstAcceptedAsync(byte[] pinned, TimeSpan within, string what)
    {
        await Eventually.TrueAsync(() => AcceptsAsync(pinned), what, within);
        return DateTimeOffset.UtcNow;
    }

    [Fact]
    public async Task SiloSwitchesToTheRotatedKeyAtItsActivationWithoutDroppingConnections()
    {
        var seeded = Assert.Single((await _store.ReadAsync(CancellationToken.None)).Entries);
        Assert.Equal(KeyNames.KeyId(_seed), seeded.KeyId);
        await using var before = await ConnectAsync(_seed);

        using var next = SigningIdentity.Generate();
        var edit = await _store.UpdateAsync(set => KeyRollover.Rotate(set, next, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(RolloverMs), TimeSpan.FromMinutes(5)), CancellationToken.None);
        var activateAt = edit.Changed.Single(e => e.KeyId == KeyNames.KeyId(next.PublicKey)).ActivateAt;

        Assert.True(await AcceptsAsync(_seed) || DateTimeOffset.UtcNow >= activateAt, "the old key stops signing before the next key's activateAt");
        var switched = await FirstAcceptedAsync(next.PublicKey, TimeSpan.FromSeconds(15), "the silo signs with the rotated key");
        Assert.True(switched >= activateAt - TimeSpan.FromMilliseconds(50), $"signed with the next key at {switched:O}, before its activateAt {activateAt:O}");
        Assert.True(switched <= activateAt + TimeSpan.FromSeconds(2), $"switched at {switched:O}, long after activateAt {activateAt:O}");
        Assert.False(await AcceptsAsync(_seed));
        await using (var both = await ConnectAsync(_seed, next.PublicKey)) { } // an agent trusting both keys never notices
        await using (var asking = await CoordinatorConnection.ConnectAsync(_endpoint,
            new CoordinatorConnectionOptions { CoordinatorKeys = [_seed], PreferFirstKey = true })) { } // the old key, asked for, still signs in its grace

        await before.PingAsync(); // made under the old key, still served (throws if the connection was dropped)
    }

    [Fact]
    public async Task RevokedActiveKeyIsReplacedWithinARefresh()
    {
        using var replacement = SigningIdentity.Generate();
        await _store.UpdateAsync(set => KeyRollover.Revoke(set, KeyNames.KeyId(_seed), DateTimeOffset.UtcNow, replacement), CancellationToken.None);
        await FirstAcceptedAsync(replacement.PublicKey, TimeSpan.FromSeconds(5), "the silo signs with the replacement of the revoked key");
        Assert.False(await AcceptsAsync(_seed));
        var refused = await Assert.ThrowsAsync<ProtocolException>(() => CoordinatorConnection.ConnectAsync(_endpoint,
            new CoordinatorConnectionOptions { CoordinatorKeys = [_seed], PreferFirstKey = true })); // a revoked key is never used, even if asked for
        Assert.Equal(ProtocolError.BadSignature, refused.Code);
    }

    [Fact]
    public async Task GameClientThatLearnsTheKeySetGetsInAfterItsPinnedKeyRetired()
    {
        string file = Path.Combine(_dataDir.FullName, "client", CoordinatorTrust.FileName);
        var trust = new CoordinatorTrust(_seed, file);
        await using var player = await CoordinatorConnection.ConnectAsync(_endpoint, trust.Options());

        using var next = SigningIdentity.Generate();
        var edit = await _store.UpdateAsync(set => KeyRollover.Rotate(set, next, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(RolloverMs),
            TimeSpan.FromSeconds(2)), CancellationToken.None);
        var retireAt = edit.Changed.Single(e => e.KeyId == KeyNames.KeyId(_seed)).RetireAt!.Value;

        // The announcement rides on the client's next packet after the silo re-read the set (every 500 ms).
        await Eventually.TrueAsync(async () =>
        {
            if (trust.Trusted().Any(k => k.Key.AsSpan().SequenceEqual(next.PublicKey))) return true;
            await player.PingAsync();
            return false;
        }, "the connected client learns the announced key", TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(file), "the learned key set is kept for the next start");

        // Real time: the key set's retireAt is a wall-clock moment (~4 s away) that the silo's real clock must pass.
        var untilRetired = retireAt + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (untilRetired > TimeSpan.Zero) await Task.Delay(untilRetired);
        Assert.False(await AcceptsAsync(_seed)); // a client that pinned the old key and learned nothing is refused now
        var restarted = new CoordinatorTrust(_seed, file); // a new process: the same pinned key, and the file
        Assert.DoesNotContain(restarted.Trusted(), k => k.Key.AsSpan().SequenceEqual(_seed));
        await using var again = await CoordinatorConnection.ConnectAsync(_endpoint, restarted.Options());
        await again.PingAsync();
    }

    [Fact]
    public async Task AnnouncementsGoOnlyToClientsThatAskForThem()
    {
        int announced = 0;
        await using (var learning = await CoordinatorConnection.ConnectAsync(_endpoint,
            new CoordinatorConnectionOptions { CoordinatorKeys = [_seed], OnKeySet = _ => Interlocked.Increment(ref announced) }))
            await learning.PingAsync(); // the KEY_SET right after WELCOME is read before the PONG
        Assert.Equal(1, announced);

        // A client that does not set LearnsKeySet in HELLO (a third-party launcher) gets no frame it does not know:
        // its first frame after WELCOME is the answer to its own PING.
        await using var raw = await RawClient.ConnectAsync(_endpoint);
        await raw.HandshakeAsync(_seed, null);
        await raw.SendAsync(raw.Seal(new PingPacket(7, 0)));
        Assert.True(RawClient.Parse(await raw.ReadFrameAsync(TimeSpan.FromSeconds(5)) ?? [], out PongPacket pong), "the first frame after WELCOME is not the PONG");
        Assert.Equal(7ul, pong.Token);
    }
}
