using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.KeyGen.Tests;

/// <summary>
/// p2p-keygen --rotate, --list, --retire, --revoke on the key set a silo reads: the embedded default's file, and a
/// real MariaDB reached as the least-privilege user of sql/grants.sql through a p2p.conf (--config).
/// </summary>
public sealed class KeySetCommandTests : IDisposable
{
    private readonly KeyGenRun _run = new();

    public void Dispose() => _run.Dispose();

    private static async Task<byte[]> SeedAsync(ICoordinatorKeyStore store)
    {
        using var first = SigningIdentity.Generate();
        await store.UpdateAsync(set => KeyRollover.Seed(set, first, DateTimeOffset.UtcNow), CancellationToken.None);
        return first.PublicKey;
    }

    [Fact]
    public async Task RotateListRetireAndRevokeActOnTheEmbeddedDefaultsKeySet()
    {
        var empty = await _run.KeyGenAsync("--rotate");
        Assert.True(empty.ExitCode == 4, empty.Output);
        Assert.Contains("start a silo once", empty.Output);

        var store = new FileCoordinatorKeyStore(_run.PathOf(Path.Combine("data", CoordinatorKeyStores.FileName)));
        string first = KeyNames.KeyId(await SeedAsync(store));
        File.WriteAllText(_run.PathOf("p2p.conf"), "security:\n  key_rollover_ms: 3600000\n  key_grace_ms: 7200000\n");

        var rotated = await _run.KeyGenAsync("--rotate", "--config", "p2p.conf", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.Output);
        var keys = KeyGenRun.Json(rotated.StandardOutput).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["active", "next"], keys.Select(k => k.GetProperty("state").GetString()));
        string next = keys[1].GetProperty("keyId").GetString()!;
        var set = await store.ReadAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromHours(1), set.Find(next)!.ActivateAt - set.Find(next)!.CreatedAt);
        Assert.Equal(TimeSpan.FromHours(2), set.Find(first)!.RetireAt - set.Find(next)!.ActivateAt);

        var again = await _run.KeyGenAsync("--rotate", "--config", "p2p.conf");
        Assert.True(again.ExitCode == 4, again.Output);
        Assert.Contains($"key {next} is already announced", again.Output);
        var retireActive = await _run.KeyGenAsync("--retire", first);
        Assert.True(retireActive.ExitCode == 4, retireActive.Output);
        Assert.Contains("is the active key", retireActive.Output);

        var revoked = await _run.KeyGenAsync("--revoke", first.ToUpperInvariant());
        Assert.True(revoked.ExitCode == 0, revoked.Output);
        Assert.Contains($"the announced next key {next} is active now", revoked.Output);
        var listed = await _run.KeyGenAsync("--list");
        Assert.True(listed.ExitCode == 0, listed.Output);
        Assert.Matches($@"{first}\s+revoked", listed.Output);
        Assert.Matches($@"{next}\s+active", listed.Output);
    }

    [Fact]
    public async Task RotateThroughP2PConfReachesTheKeySetInMariaDb()
    {
        await using var server = await MariaDbServer.StartAsync();
        string connectionString = await server.CreateLeastPrivilegeUserAsync(await server.CreateDatabaseAsync("keygen"));
        var store = new MariaDbCoordinatorKeyStore(new DatabaseOptions { ConnectionString = connectionString });
        string first = KeyNames.KeyId(await SeedAsync(store));
        File.WriteAllText(_run.PathOf("p2p.conf"), $"database:\n  connection_string: \"{connectionString}\"\nsecurity:\n  key_rollover_ms: 20000\n");

        var rotated = await _run.KeyGenAsync("--rotate", "--config", "p2p.conf");
        Assert.True(rotated.ExitCode == 0, rotated.Output);
        var set = await store.ReadAsync(CancellationToken.None);
        var next = Assert.Single(set.Entries, e => e.KeyId != first);
        Assert.Equal(CoordinatorKeyState.Next, set.StateOf(next, DateTimeOffset.UtcNow));
        Assert.Contains(next.KeyId, rotated.Output);

        File.WriteAllText(_run.PathOf("down.conf"), $"database:\n  connection_string: \"Server=127.0.0.1;Port={FreePort.Next()};User ID=x;Password=y;Database=z\"\n");
        var unreachable = await _run.KeyGenAsync("--list", "--config", "down.conf");
        Assert.True(unreachable.ExitCode == 3, unreachable.Output);
        Assert.Contains("database.connection_string", unreachable.Output);

        File.WriteAllText(_run.PathOf("bad.conf"), "security:\n  key_rollover_ms: 5\n");
        var badConfig = await _run.KeyGenAsync("--list", "--config", "bad.conf");
        Assert.True(badConfig.ExitCode == 5, badConfig.Output);
        Assert.Contains("security.key_rollover_ms", badConfig.Output);
    }
}
