using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Control.Tests;

/// <summary>
/// A real p2p-silo process (the embedded default) on free loopback ports with an operate key, optionally with the
/// p2p-demo agents so maps sit on P2P hosts; conf/p2p/p2p.conf gives both the same maps.
/// </summary>
public sealed class ControlSilo(ProgramProcess process, string baseUrl, DirectoryInfo dir, bool ownsDir) : IAsyncDisposable
{
    public const string OperateKey = "control-tests-operate-key-0123456789abcdef";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public ProgramProcess Process { get; } = process;
    public string BaseUrl { get; } = baseUrl;

    /// <param name="connectionString">A MariaDB database (with <paramref name="clusterId"/>); null for the embedded default.</param>
    /// <param name="folder">Where the coordinator key lives, kept across restarts of one cluster; null for a folder of its own.</param>
    /// <param name="extra">More environment, e.g. an operator's shell's.</param>
    public static async Task<ControlSilo> StartAsync(bool demo, string? connectionString = null, string? clusterId = null, DirectoryInfo? folder = null,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var dir = folder ?? Directory.CreateTempSubdirectory("p2p-control-silo-");
        string keyFile = Path.Combine(dir.FullName, "coordinator.pem");
        if (!File.Exists(keyFile)) KeyFiles.CreatePrivate(keyFile).Dispose();
        string url = $"http://127.0.0.1:{FreePort.Next()}";
        var env = new Dictionary<string, string>
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__advertised_address"] = "127.0.0.1",
            ["P2P_coordinator__port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = url,
            ["P2P_security__coordinator_key_file"] = keyFile,
            ["P2P_accounts__dev_file"] = Path.Combine(RepoPaths.Root, "conf", "p2p", "dev_accounts.yaml"),
            ["P2P_monitoring__alert_enabled"] = "false",
            ["P2P_admin__api_keys__0__name"] = "ops",
            ["P2P_admin__api_keys__0__role"] = "operate",
            ["P2P_admin__api_keys__0__sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OperateKey))),
        };
        if (connectionString is not null)
        {
            env["P2P_database__connection_string"] = connectionString;
            env["P2P_cluster__cluster_id"] = clusterId ?? throw new ArgumentNullException(nameof(clusterId));
            env["P2P_accounts__source"] = "file";
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) env[key] = value;
        // The demo is its own program (p2p-demo, src/Demo): the silo with the agents and players inside it.
        var process = demo ? ProgramProcess.Start("Demo", ["--config", Conf], env, assembly: "p2p-demo") : ProgramProcess.Start("Silo", ["--config", Conf], env);
        var silo = new ControlSilo(process, url, dir, ownsDir: folder is null);
        try
        {
            await process.WaitForLineAsync("Silo started", StartTimeout);
            return silo;
        }
        catch
        {
            string output = process.Output;
            await silo.DisposeAsync();
            throw new InvalidOperationException("the silo did not start:\n" + output);
        }
    }

    private static string Conf => Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf");

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperateKey);
        return client;
    }

    /// <summary>The environment that points p2p-control at this silo.</summary>
    public Dictionary<string, string> ControlEnvironment() => new()
    {
        ["P2P_CONTROL_URL"] = BaseUrl,
        ["P2P_CONTROL_KEY"] = OperateKey,
    };

    public async Task<List<JsonElement>> MapsAsync()
    {
        using var client = Client();
        return (await client.GetFromJsonAsync<JsonElement>("/api/v1/maps")).GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>Waits (deadline) until the demo's agents hold maps: at least two P2P hosts online, one with a map.</summary>
    public async Task WaitForP2PMapsAsync(TimeSpan deadline)
    {
        using var client = Client();
        await Eventually.HoldsAsync(async () => (Page: await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts?kind=p2p&status=online&limit=500"), Maps: await MapsAsync()),
            seen => seen.Page.GetProperty("total").GetInt32() >= 2 && seen.Maps.Any(m => m.GetProperty("hostKind").ValueKind == JsonValueKind.String
                && m.GetProperty("hostKind").GetString() == "p2p"),
            "a map on a P2P host", deadline, TimeSpan.FromMilliseconds(200), describe: seen => $"{seen.Page}\n{Process.Output}");
    }

    /// <summary>SIGTERM, and waits for the silo to leave the cluster (its membership row turns Dead at once).</summary>
    public async Task StopAsync()
    {
        Process.Signal(15);
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (!ownsDir) return;
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
