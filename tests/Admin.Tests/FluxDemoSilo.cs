using System.Net.Http.Headers;
using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// A <c>p2p-demo</c> silo process (one VPS and three P2P host agents, players playing) on the embedded default and free
/// ports, for the FluxCP module's tests: its HTTP address, the development operate key it wrote to data/admin_api.key,
/// and a client of its API for checking effects independently of the PHP under test.
/// </summary>
public sealed class FluxDemoSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private FluxDemoSilo(ProgramProcess process, string http, string key)
    {
        Process = process;
        Http = http;
        Key = key;
        Api = new HttpClient { BaseAddress = new Uri(http) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public ProgramProcess Process { get; }
    public string Http { get; }
    public string Key { get; }
    public HttpClient Api { get; }

    public static async Task<FluxDemoSilo> StartAsync(ITestOutputHelper output)
    {
        string http = $"http://127.0.0.1:{FreePort.Next()}";
        string config = Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf");
        var process = ProgramProcess.Start("Demo", ["--config", config], assembly: "p2p-demo", environment: new Dictionary<string, string>
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = http,
            ["P2P_accounts__dev_file"] = Path.Combine(RepoPaths.Root, "conf", "p2p", "dev_accounts.yaml"),
        });
        try
        {
            output.WriteLine(await process.WaitForLineAsync("development operate key at", StartTimeout));
            output.WriteLine(await process.WaitForLineAsync(" entered ", StartTimeout)); // players play: hosts have maps
            string key = (await File.ReadAllTextAsync(Path.Combine(process.WorkingDirectory, "data", "admin_api.key"))).Trim();
            return new FluxDemoSilo(process, http, key);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET an API path with the operate key, parsed.</summary>
    public async Task<JsonDocument> GetAsync(string path) => JsonDocument.Parse(await Api.GetStringAsync(path));

    /// <summary>The ids of the online P2P hosts, best score first.</summary>
    public async Task<List<string>> OnlineP2PHostsAsync()
    {
        using var page = await GetAsync("/api/v1/hosts?status=online&kind=p2p&limit=100");
        return page.RootElement.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("hostId").GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Process.DisposeAsync();
    }
}
