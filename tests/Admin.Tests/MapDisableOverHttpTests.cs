using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// POST /api/v1/maps/{name}/disable and /enable end to end on a real p2p-demo silo (its host agents connected through
/// the gateway): the map leaves its host and stays out, a repeat changes nothing, both are audited, an unknown map is
/// a problem naming the field, and enable places it again. The grain-level effects are tests/Grains.Tests/MapDisableTests.
/// </summary>
public sealed class MapDisableOverHttpTests(ITestOutputHelper output) : IDisposable
{
    private const string OperateKey = "map-disable-operate-key-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-disable-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task DisableTakesAMapOffItsHostEnablePlacesItAgainAndRepeatsChangeNothing()
    {
        var env = AdminSilo.Environment(_dir.FullName);
        env["P2P_admin__api_keys__0__name"] = "ops";
        env["P2P_admin__api_keys__0__role"] = "operate";
        env["P2P_admin__api_keys__0__sha256"] = AdminSilo.Sha256Hex(OperateKey);
        await using var silo = await AdminSilo.StartAsync(env, ["--config", Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf")], demo: true);
        using var client = silo.Client(OperateKey);

        // The demo's agents connect and the configured maps are placed: take one that runs on a host.
        var placed = await Eventually.HoldsAsync(async () => (await MapsAsync(client)).FirstOrDefault(m => m.GetProperty("hostId").ValueKind == JsonValueKind.String),
            m => m.ValueKind == JsonValueKind.Object, "a map placed on a host", Deadline, TimeSpan.FromMilliseconds(200));
        string map = placed.GetProperty("name").GetString()!, hostId = placed.GetProperty("hostId").GetString()!;
        output.WriteLine($"disabling {map}, on {hostId}");

        using var disable = await client.PostAsync($"/api/v1/maps/{map}/disable", null);
        string body = await disable.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.True(disable.StatusCode == HttpStatusCode.OK, body);
        using (var result = JsonDocument.Parse(body))
        {
            Assert.Equal(("disable", map, true), (result.RootElement.GetProperty("action").GetString(), result.RootElement.GetProperty("target").GetString(),
                result.RootElement.GetProperty("changed").GetBoolean()));
            var moved = Assert.Single(result.RootElement.GetProperty("moved").EnumerateArray());
            Assert.Equal(hostId, moved.GetProperty("fromHost").GetString());
            Assert.Equal(JsonValueKind.Null, moved.GetProperty("toHost").ValueKind);
        }

        // Observed, not just answered: disabled, no host, and the reason an operator reads.
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/maps/{map}");
        var summary = detail.GetProperty("summary");
        Assert.Equal("disabled", summary.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("hostId").ValueKind);
        Assert.Equal("disabled by an operator", summary.GetProperty("why").GetString());

        using var again = await client.PostAsync($"/api/v1/maps/{map}/disable", null);
        using (var repeat = JsonDocument.Parse(await again.Content.ReadAsStringAsync()))
        {
            Assert.False(repeat.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal(0, repeat.RootElement.GetProperty("moved").GetArrayLength());
        }

        // A move of a disabled map conflicts; an unknown map is not found, naming the field.
        var conflict = await Problem.ReadAsync(await client.PostAsync($"/api/v1/maps/{map}/move", new StringContent("""{"to":"vps"}""", System.Text.Encoding.UTF8, "application/json")));
        Assert.True(conflict.Status == HttpStatusCode.Conflict, conflict.Body);
        var unknown = await Problem.ReadAsync(await client.PostAsync("/api/v1/maps/nosuchmap/disable", null));
        Assert.True(unknown.Status == HttpStatusCode.NotFound, unknown.Body);
        Assert.Equal("name", unknown.Field);

        using var enable = await client.PostAsync($"/api/v1/maps/{map}/enable", null);
        string enabled = await enable.Content.ReadAsStringAsync();
        output.WriteLine(enabled);
        Assert.True(enable.StatusCode == HttpStatusCode.OK, enabled);
        using (var result = JsonDocument.Parse(enabled))
        {
            Assert.True(result.RootElement.GetProperty("changed").GetBoolean());
            var moved = Assert.Single(result.RootElement.GetProperty("moved").EnumerateArray());
            Assert.Equal(JsonValueKind.String, moved.GetProperty("toHost").ValueKind);
        }
        summary = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/maps/{map}")).GetProperty("summary");
        Assert.Equal("assigned", summary.GetProperty("status").GetString());
        using var enableAgain = await client.PostAsync($"/api/v1/maps/{map}/enable", null);
        using (var repeat = JsonDocument.Parse(await enableAgain.Content.ReadAsStringAsync()))
            Assert.False(repeat.RootElement.GetProperty("changed").GetBoolean());

        var audit = await AuditRows.GetAsync(client);
        Assert.Equal(["unchanged", "changed"], audit.Where(r => r.Action == "disable" && r.Target == map).Select(r => r.Result));
        Assert.Equal(["unchanged", "changed"], audit.Where(r => r.Action == "enable" && r.Target == map).Select(r => r.Result));
    }

    private static async Task<List<JsonElement>> MapsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/maps")).GetProperty("items").EnumerateArray().ToList();
}
