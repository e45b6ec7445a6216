using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// A real p2p-silo process with the admin API on its own loopback ports: the embedded default unless a database is
/// given, with the keys and settings of <paramref name="Environment"/>. Its working folder holds data/ (the
/// development keys).
/// </summary>
public sealed class AdminSilo(ProgramProcess process, string baseUrl) : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public ProgramProcess Process { get; } = process;

    /// <summary>http://127.0.0.1:port (no trailing slash).</summary>
    public string BaseUrl { get; } = baseUrl;

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Environment of a silo on free loopback ports; a coordinator key file is made in <paramref name="keyDir"/>.</summary>
    public static Dictionary<string, string> Environment(string keyDir, string? connectionString = null, string scheme = "http")
    {
        string keyFile = Path.Combine(keyDir, "coordinator.pem");
        if (!File.Exists(keyFile)) KeyFiles.CreatePrivate(keyFile).Dispose();
        var env = new Dictionary<string, string>
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__advertised_address"] = "127.0.0.1",
            ["P2P_coordinator__port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = $"{scheme}://127.0.0.1:{FreePort.Next()}",
            ["P2P_security__coordinator_key_file"] = keyFile,
            ["P2P_accounts__dev_file"] = Path.Combine(RepoPaths.Root, "conf", "p2p", "dev_accounts.yaml"),
            ["P2P_monitoring__alert_enabled"] = "false",
        };
        if (connectionString is not null)
        {
            env["P2P_database__connection_string"] = connectionString;
            env["P2P_cluster__cluster_id"] = "a" + Guid.NewGuid().ToString("N")[..8];
        }
        return env;
    }

    /// <summary>Starts the silo and waits until it says it started (the API is served by then).</summary>
    /// <param name="demo">Run p2p-demo (the silo with host agents and players inside it) instead of p2p-silo.</param>
    public static async Task<AdminSilo> StartAsync(Dictionary<string, string> environment, IEnumerable<string>? arguments = null, bool demo = false)
    {
        var process = demo ? ProgramProcess.Start("Demo", arguments ?? [], environment, assembly: "p2p-demo") : ProgramProcess.Start("Silo", arguments ?? [], environment);
        var silo = new AdminSilo(process, environment["P2P_http__urls"].Split(';')[0]);
        try
        {
            await process.WaitForLineAsync("Silo started", StartTimeout);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw new InvalidOperationException("the silo did not start:\n" + process.Output);
        }
    }

    public HttpClient Client(string? key = null, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = new Uri(BaseUrl);
        client.Timeout = TimeSpan.FromSeconds(30);
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
