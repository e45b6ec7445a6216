using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Hosting.Tests.Keys;

/// <summary>
/// The key set in a real MariaDB, through --init-db's schema and as the least-privilege user of sql/grants.sql: seeded
/// once however many silos start at once, rotated, and read back equal.
/// </summary>
public sealed class MariaDbCoordinatorKeyStoreTests : IAsyncLifetime
{
    private MariaDbServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await MariaDbServer.StartAsync();
        _connectionString = await _server.CreateLeastPrivilegeUserAsync(await _server.CreateDatabaseAsync("keys"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MariaDbCoordinatorKeyStore Store() => new(new DatabaseOptions { ConnectionString = _connectionString });

    [Fact]
    public async Task ConcurrentSeedsLeaveOneActiveKeyAndRotationReadsBackEqual()
    {
        var now = DateTimeOffset.UtcNow;
        var seeds = Enumerable.Range(0, 4).Select(_ => SigningIdentity.Generate()).ToList();
        await Task.WhenAll(seeds.Select(seed => Store().UpdateAsync(set => KeyRollover.Seed(set, seed, now), CancellationToken.None)));
        var seeded = await Store().ReadAsync(CancellationToken.None);
        var first = Assert.Single(seeded.Entries);
        Assert.Equal(CoordinatorKeyState.Active, seeded.StateOf(first, now));

        using var next = SigningIdentity.Generate();
        var edit = await Store().UpdateAsync(set => KeyRollover.Rotate(set, next, now, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1)), CancellationToken.None);
        Assert.Equal(2, edit.Changed.Count);
        var set = await Store().ReadAsync(CancellationToken.None);
        foreach (var written in edit.Changed) Assert.Equivalent(written, set.Find(written.KeyId));
        Assert.Equal(first.KeyId, set.Signing(now)!.KeyId);
        Assert.Equal(KeyNames.KeyId(next.PublicKey), set.Signing(now + TimeSpan.FromSeconds(60))!.KeyId);
        foreach (var seed in seeds) seed.Dispose();
    }
}
