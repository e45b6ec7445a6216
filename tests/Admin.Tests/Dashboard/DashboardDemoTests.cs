using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace P2PCluster.Admin.Tests.Dashboard;

/// <summary>
/// The issue's "done when" for the page: a real <c>p2p-demo</c> silo process (host agents and players inside it), its
/// development operate key read from data/admin_api.key, /p2p/dashboard in headless Chromium showing the demo's hosts
/// and maps, and a drain clicked on the page observed in the cluster through the API: the host is draining and its
/// maps run elsewhere. The screenshot is kept under the test's TestResults/dashboard/.
/// </summary>
public sealed class DashboardDemoTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DrainClickedOnThePageMovesTheHostsMapsInTheDemoCluster()
    {
        int httpPort = FreePort.Next();
        var env = new Dictionary<string, string>
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = $"http://127.0.0.1:{httpPort}",
            ["P2P_accounts__dev_file"] = Path.Combine(RepoPaths.Root, "conf", "p2p", "dev_accounts.yaml"),
        };
        string config = Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf");
        await using var silo = ProgramProcess.Start("Demo", ["--config", config], env, assembly: "p2p-demo");
        try
        {
            await RunAsync(silo, new Uri($"http://127.0.0.1:{httpPort}/"));
        }
        catch
        {
            output.WriteLine(silo.Output);
            throw;
        }
    }

    private async Task RunAsync(ProgramProcess silo, Uri baseAddress)
    {
        await silo.WaitForLineAsync("Silo started", Timeout);
        // The embedded default writes its development operate key beside the coordinator key (security.data_dir).
        string data = Path.Combine(silo.WorkingDirectory, "data");
        string key = (await File.ReadAllTextAsync(Path.Combine(data, "admin_api.key"))).Trim();
        using var api = new HttpClient { BaseAddress = new Uri(baseAddress, "/api/v1/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // The demo stops and restarts its agent #1 every 30 s to show failover: drain another P2P host, so what moves
        // the maps is the drain.
        await silo.WaitForLineAsync("DEMO: started", Timeout);
        string cycled = HandshakeCrypto.HostId(KeyFiles.LoadPrivate(Path.Combine(data, "demo", "agent1.pem")).PublicKey);
        var (hosts, maps) = await WaitForAsync(api, "a P2P host other than the demo's cycled one running a map, every map assigned",
            (h, m) => m.All(x => x.Status == "assigned") && h.Any(x => x.Kind == "p2p" && x.Status == "online" && x.Maps > 0 && x.Id != cycled));
        string target = hosts.First(x => x.Kind == "p2p" && x.Status == "online" && x.Maps > 0 && x.Id != cycled).Id;
        string[] itsMaps = [.. maps.Where(m => m.Host == target).Select(m => m.Name)];
        output.WriteLine($"draining {target} (maps {string.Join(", ", itsMaps)}); the demo cycles {cycled}");

        var page = await chromium.NewPageAsync(baseAddress);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        await page.GotoAsync("/p2p/dashboard");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        var hostRows = page.Locator("#hosts-table tbody");
        foreach (var host in hosts) await Expect(hostRows).ToContainTextAsync(host.Id);
        // Names only: the demo moves maps on its own schedule, so where each runs may change while the page loads.
        foreach (var map in maps) await Expect(page.Locator("#maps-table tbody")).ToContainTextAsync(map.Name);

        // Why the map is there: its placement history, with the candidates the coordinator weighed.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Placement history of {itsMaps[0]}" }).ClickAsync();
        await Expect(page.Locator("#history-list")).ToContainTextAsync(target);
        await Expect(page.Locator("#history-list table.candidates").First).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Drain host {target}" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync($"drain {target}", new() { Timeout = 30_000 });

        // In the cluster, through the API: the host is draining and none of its maps is on it any more.
        var (after, afterMaps) = await WaitForAsync(api, $"{target} draining with its maps elsewhere",
            (h, m) => h.Any(x => x.Id == target && x.Status == "draining" && x.Maps == 0)
                && itsMaps.All(name => m.Any(x => x.Name == name && x.Status == "assigned" && x.Host != target)));
        foreach (string name in itsMaps) output.WriteLine($"{name} now on {afterMaps.First(m => m.Name == name).Host}");

        // And on the page, at its next refresh.
        await Expect(page.Locator($"#hosts-table tbody tr[data-key='{target}']")).ToContainTextAsync("draining", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Undrain host {target}" })).ToBeVisibleAsync();
        foreach (string name in itsMaps)
            await Expect(page.Locator($"#maps-table tbody tr[data-key='{name}'] td").Nth(1)).Not.ToHaveTextAsync(target, new() { Timeout = 30_000 });

        // Move a map from its P2P host to a VPS through the page's dialog.
        string moving = afterMaps.First(m => m.Kind == "p2p").Name;
        await page.GetByRole(AriaRole.Button, new() { Name = $"Move map {moving}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("A VPS host").CheckAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync($"move {moving}", new() { Timeout = 30_000 });
        await WaitForAsync(api, $"{moving} on a VPS host", (_, m) => m.Any(x => x.Name == moving && x.Status == "assigned" && x.Kind == "vps"));
        await Expect(page.Locator($"#maps-table tbody tr[data-key='{moving}'] td").Nth(2)).ToHaveTextAsync("vps", new() { Timeout = 30_000 });

        string shot = ChromiumFixture.ArtifactPath("demo-drain.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"screenshot: {shot}");
        Console.WriteLine($"screenshot: {shot}");

        // Emergency failover and resume, each confirmed in the page's dialog, seen in the cluster and on the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Emergency failover" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Fail over to VPS" }).ClickAsync();
        await Expect(page.Locator("#network-state")).ToContainTextAsync("P2P PAUSED", new() { Timeout = 30_000 });
        Assert.True(await PausedAsync(api), "the API says P2P is paused after the page's emergency failover");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume P2P" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Resume P2P" }).ClickAsync();
        await Expect(page.Locator("#network-state")).ToContainTextAsync("P2P placement is running", new() { Timeout = 30_000 });
        Assert.False(await PausedAsync(api), "the API says P2P runs again after the page's resume");
        Assert.Empty(errors);
    }

    private static async Task<bool> PausedAsync(HttpClient api)
    {
        using var network = await GetJsonAsync(api, "network");
        return network.RootElement.GetProperty("p2pPaused").GetBoolean();
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET /api/v1/{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private sealed record HostRow(string Id, string Kind, string Status, int Maps);

    private sealed record MapRow(string Name, string Status, string? Host, string? Kind);

    /// <summary>Reads /hosts and /maps until <paramref name="done"/> holds; fails with what was last seen after the deadline.</summary>
    private static Task<(List<HostRow> Hosts, List<MapRow> Maps)> WaitForAsync(HttpClient api, string what, Func<List<HostRow>, List<MapRow>, bool> done) =>
        Eventually.HoldsAsync(() => ReadAsync(api), seen => done(seen.Hosts, seen.Maps), what, Timeout, TimeSpan.FromMilliseconds(500),
            describe: seen => $"\nhosts: {string.Join("; ", seen.Hosts)}\nmaps: {string.Join("; ", seen.Maps)}");

    private static async Task<(List<HostRow> Hosts, List<MapRow> Maps)> ReadAsync(HttpClient api)
    {
        using var hostsJson = await GetJsonAsync(api, "hosts?limit=500");
        using var mapsJson = await GetJsonAsync(api, "maps");
        var hosts = hostsJson.RootElement.GetProperty("items").EnumerateArray()
            .Select(h => new HostRow(h.GetProperty("hostId").GetString()!, h.GetProperty("kind").GetString()!, h.GetProperty("status").GetString()!, h.GetProperty("maps").GetInt32()))
            .ToList();
        var maps = mapsJson.RootElement.GetProperty("items").EnumerateArray()
            .Select(m => new MapRow(m.GetProperty("name").GetString()!, m.GetProperty("status").GetString()!,
                m.GetProperty("hostId").ValueKind == JsonValueKind.String ? m.GetProperty("hostId").GetString() : null,
                m.GetProperty("hostKind").ValueKind == JsonValueKind.String ? m.GetProperty("hostKind").GetString() : null))
            .ToList();
        return (hosts, maps);
    }
}
