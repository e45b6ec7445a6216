using System.Security.Cryptography;
using System.Text;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Diagnostic.Tests;

/// <summary>
/// A silo process on its own MariaDB database, run as an operator should: the coordinator's user holds exactly
/// sql/grants.sql and sql/grants_rathena.sql, the key file is 0600, encryption on, the gateway, the admin API and
/// the database on loopback. <see cref="ConfigFile"/> is the p2p.conf the silo runs with; the diagnostic reads it too.
/// </summary>
public sealed class DiagnosticCluster : IAsyncDisposable
{
    private readonly DirectoryInfo _dir;
    private readonly List<ProgramProcess> _agents = [];
    private readonly List<System.Net.Sockets.Socket> _held = [];

    private DiagnosticCluster(DirectoryInfo dir, ProgramProcess silo, string adminConnectionString, string connectionString, string keyFile, string apiKeyFile,
        Dictionary<string, string> config, int coordinatorPort, int dbProxyPort, int httpPort)
    {
        _dir = dir;
        Silo = silo;
        AdminConnectionString = adminConnectionString;
        ConnectionString = connectionString;
        KeyFile = keyFile;
        ApiKeyFile = apiKeyFile;
        Config = config;
        CoordinatorPort = coordinatorPort;
        DbProxyPort = dbProxyPort;
        HttpPort = httpPort;
        ConfigFile = WriteConfig("p2p.conf", config);
    }

    public ProgramProcess Silo { get; }
    public string AdminConnectionString { get; }
    public string ConnectionString { get; }
    public string KeyFile { get; }
    public string ApiKeyFile { get; }
    public string ConfigFile { get; }
    public int CoordinatorPort { get; }
    public int DbProxyPort { get; }
    public int HttpPort { get; }
    public string Directory => _dir.FullName;

    /// <summary>The configuration as "section.key" → YAML value; <see cref="WriteConfig"/> writes a variant.</summary>
    public IReadOnlyDictionary<string, string> Config { get; }

    public static async Task<DiagnosticCluster> StartAsync(MariaDbServer server)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("p2p-diag-");
        string admin = await server.CreateDatabaseAsync("p2p_diag");
        await MariaDbServer.CreateRathenaTablesAsync(admin);
        string connectionString = await MariaDbServer.CreateUserWithGrantsAsync(admin, "grants.sql", "grants_rathena.sql");

        string keyFile = Path.Combine(dir.FullName, "coordinator.pem");
        KeyFiles.CreatePrivate(keyFile).Dispose();
        string apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        string apiKeyFile = Path.Combine(dir.FullName, "admin.key");
        File.WriteAllText(apiKeyFile, apiKey);
        File.SetUnixFileMode(apiKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

        int coordinatorPort = FreePort.Next(), dbProxyPort = FreePort.Next(), httpPort = FreePort.Next();
        var config = new Dictionary<string, string>
        {
            ["coordinator.port"] = coordinatorPort.ToString(),
            ["coordinator.db_proxy_port"] = dbProxyPort.ToString(),
            ["coordinator.bind_address"] = "127.0.0.1",
            ["security.coordinator_key_file"] = Quote(keyFile),
            ["security.data_dir"] = Quote(Path.Combine(dir.FullName, "data")),
            ["database.connection_string"] = Quote(connectionString),
            ["cluster.cluster_id"] = "diag" + Guid.NewGuid().ToString("N")[..8],
            ["cluster.advertised_address"] = "127.0.0.1",
            ["cluster.silo_port"] = FreePort.Next().ToString(),
            ["cluster.gateway_port"] = FreePort.Next().ToString(),
            ["http.urls"] = Quote($"http://127.0.0.1:{httpPort}"),
            ["admin.api_keys"] = $"[{{ name: diag, role: read, sha256: {sha} }}]",
            ["maps.prontera"] = "",
        };
        string file = WriteConfigIn(dir.FullName, "silo.conf", config);
        var silo = ProgramProcess.Start("Silo", ["--config", file]);
        var cluster = new DiagnosticCluster(dir, silo, admin, connectionString, keyFile, apiKeyFile, config, coordinatorPort, dbProxyPort, httpPort);
        try
        {
            await silo.WaitForLineAsync("Silo started", TimeSpan.FromSeconds(90));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>The common arguments: this cluster's configuration (or <paramref name="configFile"/>) and admin key, JSON output.</summary>
    public string[] Arguments(string? configFile = null) =>
        ["--config", configFile ?? ConfigFile, "--api-key-file", ApiKeyFile, "--timeout-ms", "4000", "--json"];

    /// <summary>Writes this cluster's configuration with <paramref name="changes"/> applied ("section.key" → YAML value).</summary>
    public string WriteConfig(string name, IReadOnlyDictionary<string, string> changes)
    {
        var merged = new Dictionary<string, string>(Config);
        foreach (var (key, value) in changes) merged[key] = value;
        return WriteConfigIn(_dir.FullName, name, merged);
    }

    /// <summary>
    /// Starts a P2P host agent pinned to this cluster's key, advertising <paramref name="advertisedHost"/> while its
    /// map instances listen on 127.0.0.1 only; waits until it runs a map.
    /// </summary>
    /// <param name="firstPortTaken">Holds the first port of the agent's two-port range (bound, not listening): its map runs on the second.</param>
    public async Task<ProgramProcess> StartAgentAsync(string advertisedHost, bool firstPortTaken = false)
    {
        using var identity = KeyFiles.LoadPrivate(KeyFile);
        string metrics = Path.Combine(_dir.FullName, $"load-{_agents.Count}");
        File.WriteAllText(metrics, "cpu=10\nmemory=10\nnetwork=1\n");
        int start = FreePort.Next();
        if (firstPortTaken)
        {
            var holder = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, start));
            _held.Add(holder);
        }
        var agent = ProgramProcess.Start("HostAgent", [], new Dictionary<string, string>
        {
            ["P2P_coordinator__endpoints"] = $"127.0.0.1:{CoordinatorPort}",
            ["P2P_coordinator__public_key"] = Convert.ToHexString(identity.PublicKey),
            ["P2P_coordinator__db_proxy_port"] = DbProxyPort.ToString(),
            ["P2P_identity__kind"] = "p2p",
            ["P2P_node__max_maps"] = "1",
            ["P2P_identity__advertised_host"] = advertisedHost,
            ["P2P_maps__port_range_start"] = start.ToString(),
            ["P2P_maps__port_range_end"] = (firstPortTaken ? start + 1 : start).ToString(),
            ["P2P_maps__bind_address"] = "127.0.0.1",
            ["P2P_resources__metrics_file"] = metrics,
        });
        _agents.Add(agent);
        await agent.WaitForLineAsync("Map prontera running on port", TimeSpan.FromSeconds(60));
        return agent;
    }

    /// <summary>The host id an agent logged when it connected.</summary>
    public static string HostIdOf(ProgramProcess agent)
    {
        string line = agent.Output.Split('\n').First(l => l.Contains("Connected to coordinator"));
        int at = line.IndexOf(" as ", StringComparison.Ordinal) + 4;
        return line[at..line.IndexOf(' ', at)];
    }

    private static string WriteConfigIn(string dir, string name, IReadOnlyDictionary<string, string> config)
    {
        var text = new StringBuilder();
        foreach (var section in config.GroupBy(c => c.Key[..c.Key.IndexOf('.')]))
        {
            text.AppendLine($"{section.Key}:");
            foreach (var (key, value) in section) text.AppendLine($"  {key[(key.IndexOf('.') + 1)..]}: {value}".TrimEnd());
        }
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents) await agent.DisposeAsync();
        foreach (var socket in _held) socket.Dispose();
        await Silo.DisposeAsync();
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }
}
