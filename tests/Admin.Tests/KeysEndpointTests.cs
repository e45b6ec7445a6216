using System.Net;
using System.Text.Json;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// GET /api/v1/keys on a real silo process: the key set it seeded from its key file, then the next key p2p-keygen
/// --rotate (another real process, on the same data_dir) announced, public parts only.
/// </summary>
public sealed class KeysEndpointTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-keys-");
    private AdminSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var env = AdminSilo.Environment(_dir.FullName);
        env["P2P_admin__api_keys__0__name"] = "reader";
        env["P2P_admin__api_keys__0__role"] = "read";
        env["P2P_admin__api_keys__0__sha256"] = AdminSilo.Sha256Hex(AdminSiloFixture.ReadKey);
        _silo = await AdminSilo.StartAsync(env);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private async Task<List<JsonElement>> KeysAsync()
    {
        using var client = _silo.Client(AdminSiloFixture.ReadKey);
        using var response = await client.GetAsync("/api/v1/keys");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.DoesNotContain("PRIVATE", body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task KeySetShowsTheSeededKeyThenTheRotatedOneAsNext()
    {
        using var seed = KeyFiles.LoadPrivate(Path.Combine(_dir.FullName, "coordinator.pem"));
        var active = Assert.Single(await KeysAsync());
        Assert.Equal("active", active.GetProperty("state").GetString());
        Assert.Equal(KeyNames.KeyId(seed.PublicKey), active.GetProperty("keyId").GetString());
        Assert.Equal(Convert.ToBase64String(seed.PublicKey), active.GetProperty("publicKey").GetString());
        Assert.Equal(KeyNames.Fingerprint(seed.PublicKey), active.GetProperty("fingerprint").GetString());
        Assert.Equal(JsonValueKind.Null, active.GetProperty("retireAt").ValueKind);

        await using var rotate = await ProgramProcess.RunAsync("KeyGen", ["--rotate"],
            new Dictionary<string, string> { ["P2P_security__data_dir"] = Path.Combine(_silo.Process.WorkingDirectory, "data") },
            TimeSpan.FromSeconds(60), assembly: "p2p-keygen");
        Assert.True(rotate.ExitCode == 0, rotate.Output);

        var keys = await KeysAsync();
        Assert.Equal(["active", "next"], keys.Select(k => k.GetProperty("state").GetString()));
        var next = keys[1];
        var activateAt = next.GetProperty("activateAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(1), activateAt - next.GetProperty("createdAt").GetDateTimeOffset()); // security.key_rollover_ms default
        Assert.Equal(activateAt + TimeSpan.FromDays(7), keys[0].GetProperty("retireAt").GetDateTimeOffset()); // security.key_grace_ms default
        Assert.Contains(next.GetProperty("keyId").GetString()!, rotate.Output);
    }
}
