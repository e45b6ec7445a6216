using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// End to end on a real p2p-demo silo (its host agents connected through the gateway): list the hosts over HTTP, drain
/// the P2P host with the most maps and see its maps run elsewhere, refused moves, emergency failover and resume; the
/// deeper effects are the ops tests' (tests/Grains.Tests/ClusterAdminTests.cs).
/// </summary>
public sealed class DemoDrainTests(ITestOutputHelper output) : IDisposable
{
    private const string OperateKey = "demo-drain-operate-key-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-demo-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task DrainMoveAndEmergencyFailoverOverHttpTakeEffectAndRepeatsChangeNothing()
    {
        var env = AdminSilo.Environment(_dir.FullName);
        env["P2P_admin__api_keys__0__name"] = "ops";
        env["P2P_admin__api_keys__0__role"] = "operate";
        env["P2P_admin__api_keys__0__sha256"] = AdminSilo.Sha256Hex(OperateKey);
        await using var silo = await AdminSilo.StartAsync(env, ["--config", Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf")], demo: true);
        using var client = silo.Client(OperateKey);

        // The demo's agents connect and the configured maps are placed: wait for a P2P host holding a map.
        var found = await Eventually.HoldsAsync(async () =>
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts?kind=p2p&status=online&limit=500");
            var best = page.GetProperty("items").EnumerateArray()
                .Where(h => h.GetProperty("maps").GetInt32() > 0)
                .OrderByDescending(h => h.GetProperty("maps").GetInt32())
                .Select(h => h.GetProperty("hostId").GetString())
                .FirstOrDefault();
            return (Page: page, Best: best is not null && page.GetProperty("total").GetInt32() >= 2 ? best : null);
        }, seen => seen.Best is not null, "a P2P host with maps", Deadline, TimeSpan.FromMilliseconds(200),
            describe: seen => $"{seen.Page}\n{silo.Process.Output}");
        string hostId = found.Best!;
        var all = await GetMapsAsync(client);
        var mapsBefore = MapsOn(all, hostId);
        // Enums are the lowercase C# names, as the page and FluxCP read them.
        Assert.All(all.Where(m => m.GetProperty("hostId").ValueKind == JsonValueKind.String),
            m => Assert.Contains(m.GetProperty("hostKind").GetString(), (string[])["p2p", "vps"]));
        Assert.All(all, m => Assert.Contains(m.GetProperty("status").GetString(), (string[])["unassigned", "assigned", "disabled"]));
        output.WriteLine($"draining {hostId}, which runs {string.Join(", ", mapsBefore)}");

        using var drain = await client.PostAsync($"/api/v1/hosts/{hostId}/drain", null);
        string body = await drain.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.True(drain.StatusCode == HttpStatusCode.OK, body);
        using var result = JsonDocument.Parse(body);
        Assert.True(result.RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal("drain", result.RootElement.GetProperty("action").GetString());
        var moved = result.RootElement.GetProperty("moved").EnumerateArray().ToList();
        Assert.Superset(mapsBefore.ToHashSet(), moved.Select(m => m.GetProperty("map").GetString()!).ToHashSet());
        Assert.All(moved, m => Assert.NotEqual(hostId, m.GetProperty("toHost").GetString()));

        // Observed, not just answered: no map runs on the host any more, and it says it is draining.
        var maps = await GetMapsAsync(client);
        Assert.Empty(MapsOn(maps, hostId));
        foreach (string map in mapsBefore)
        {
            var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/maps/{map}");
            Assert.NotEqual(hostId, detail.GetProperty("summary").GetProperty("hostId").GetString());
        }
        var host = await client.GetFromJsonAsync<JsonElement>($"/api/v1/hosts/{hostId}");
        Assert.True(host.GetProperty("draining").GetBoolean(), host.ToString());

        // Idempotent: a second drain changes nothing; both are audited.
        using var again = await client.PostAsync($"/api/v1/hosts/{hostId}/drain", null);
        using var second = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.False(second.RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(0, second.RootElement.GetProperty("moved").GetArrayLength());
        var audit = await AuditRows.GetAsync(client);
        Assert.Equal(["unchanged", "changed"], audit.Where(r => r.Action == "drain" && r.Target == hostId).Select(r => r.Result));

        // The cluster's refusals come back as problems: a critical map onto a P2P host conflicts with its policy, and
        // an unknown destination is not found, each naming what is at fault.
        var p2pHosts = await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts?kind=p2p&limit=500");
        string p2pHost = p2pHosts.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("hostId").GetString()!).First(h => h != hostId);
        var conflict = await Problem.ReadAsync(await client.PostAsync("/api/v1/maps/prontera/move", Json($$"""{"to":"{{p2pHost}}"}""")));
        Assert.True(conflict.Status == HttpStatusCode.Conflict, conflict.Body);
        Assert.Equal("PolicyViolation", conflict.Code);
        var unknown = await Problem.ReadAsync(await client.PostAsync("/api/v1/maps/prontera/move", Json("""{"to":"nosuchhost"}""")));
        Assert.True(unknown.Status == HttpStatusCode.NotFound, unknown.Body);
        Assert.Equal("to", unknown.Field);

        // Emergency failover over HTTP: no map stays on a P2P host, and the network says who paused it; resume lifts it.
        using var failover = await client.PostAsync("/api/v1/network/emergency-failover", null);
        Assert.True(failover.StatusCode == HttpStatusCode.OK, await failover.Content.ReadAsStringAsync());
        Assert.Empty((await GetMapsAsync(client)).Where(m => m.GetProperty("hostKind").ValueKind == JsonValueKind.String
            && m.GetProperty("hostKind").GetString() == "p2p").Select(m => m.GetProperty("name").GetString()));
        var network = await client.GetFromJsonAsync<JsonElement>("/api/v1/network");
        Assert.True(network.GetProperty("p2pPaused").GetBoolean());
        Assert.Equal("ops", network.GetProperty("pausedBy").GetString());
        using var resume = await client.PostAsync("/api/v1/network/resume", null);
        Assert.True(resume.StatusCode == HttpStatusCode.OK, await resume.Content.ReadAsStringAsync());
        Assert.False((await client.GetFromJsonAsync<JsonElement>("/api/v1/network")).GetProperty("p2pPaused").GetBoolean());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task<List<JsonElement>> GetMapsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/maps")).GetProperty("items").EnumerateArray().ToList();

    private static List<string> MapsOn(IEnumerable<JsonElement> maps, string hostId) =>
        maps.Where(m => m.GetProperty("hostId").GetString() == hostId).Select(m => m.GetProperty("name").GetString()!).ToList();
}
