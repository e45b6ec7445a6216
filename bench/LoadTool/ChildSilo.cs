using System.Diagnostics;
using System.Globalization;
using System.Net;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// The built p2p-silo (src/Silo's Release or Debug output, whichever this tool was built as) run as a child process
/// on MariaDB, so its CPU is measured apart from the load generator. One configuration file and one coordinator key
/// (security.coordinator_key_file) serve every start, so a restarted silo is the same node to its hosts.
/// </summary>
public sealed class ChildSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory;
    private readonly string _config;
    private readonly Dictionary<string, string> _environment;

    private ChildSilo(string directory, string config, Dictionary<string, string> environment, IPEndPoint gateway, IPEndPoint dbProxy, byte[] publicKey)
    {
        _directory = directory;
        _config = config;
        _environment = environment;
        Gateway = gateway;
        DbProxy = dbProxy;
        CoordinatorKey = publicKey;
    }

    public IPEndPoint Gateway { get; }

    /// <summary>The database proxy's port (<c>coordinator.db_proxy_port</c>).</summary>
    public IPEndPoint DbProxy { get; }
    public byte[] CoordinatorKey { get; }

    /// <summary>The running process, once started.</summary>
    public ProgramProcess? Process { get; private set; }

    /// <summary><c>security.data_dir</c>: where the embedded default writes its development keys (admin_api.key).</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The dashboard, health and metrics URL (<c>http.urls</c>); null when HTTP is off.</summary>
    public Uri? Http { get; private init; }

    /// <summary>
    /// Writes the configuration and a fresh coordinator key; checks that the silo has been built.
    /// <paramref name="maxPendingHandshakes"/>: <c>coordinator.max_pending_handshakes</c> (0: the silo's default).
    /// <paramref name="http"/>: serve HTTP on a free loopback port; <paramref name="metrics"/>: <c>http.metrics</c>.
    /// An empty <paramref name="connectionString"/> runs the silo on the embedded default. <paramref name="maps"/>: the
    /// <c>maps:</c> section (100 players each), which the silo places on the hosts that connect.
    /// </summary>
    public static ChildSilo Prepare(string connectionString, int connections, int maxPendingHandshakes = 0, bool http = false, bool metrics = true,
        IReadOnlyList<string>? maps = null)
    {
        try
        {
            RepoPaths.Program("Silo");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LoadToolException($"the silo runs as a child process, but {e.Message}: run `dotnet build -c {RepoPaths.Configuration} src/Silo` (or the solution) first", e);
        }
        string directory = Directory.CreateTempSubdirectory("p2p-loadtool-silo-").FullName;
        string keyFile = Path.Combine(directory, "coordinator.pem");
        byte[] publicKey;
        using (var key = KeyFiles.CreatePrivate(keyFile)) publicKey = key.PublicKey;
        int port = FreePort.Next(), dbProxyPort = FreePort.Next();
        Uri? httpUrl = http ? new Uri($"http://127.0.0.1:{FreePort.Next()}") : null;
        string config = Path.Combine(directory, "p2p.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            coordinator:
              port: {port}
              db_proxy_port: {dbProxyPort}
              bind_address: 127.0.0.1
              max_connections: {connections + 100}
              max_connections_per_address: {connections + 100}
              max_pending_handshakes: {maxPendingHandshakes}
              max_frames_per_second: 1000000
            security:
              coordinator_key_file: {keyFile}
              data_dir: {Path.Combine(directory, "data")}
            cluster:
              silo_port: {FreePort.Next()}
              gateway_port: {FreePort.Next()}
            http:
              urls: "{httpUrl?.ToString().TrimEnd('/') ?? ""}"
              metrics: {(metrics ? "true" : "false")}
            """));
        if (maps is { Count: > 0 })
            File.AppendAllText(config, "\nmaps:\n" + string.Concat(maps.Select(m => $"  {m}:\n    max_players: 100\n")));
        // Through the environment, so the connection string needs no YAML quoting.
        var environment = new Dictionary<string, string> { ["P2P_database__connection_string"] = connectionString };
        return new ChildSilo(directory, config, environment, new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Loopback, dbProxyPort), publicKey)
        {
            Http = httpUrl,
        };
    }

    /// <summary>Starts the silo and waits for its "Silo started" line; returns when that line was seen.</summary>
    public async Task<long> StartAsync()
    {
        Process = ProgramProcess.Start("Silo", ["--config", _config], _environment);
        try
        {
            await Process.WaitForLineAsync("Silo started", StartTimeout);
            return Stopwatch.GetTimestamp();
        }
        catch (TimeoutException e)
        {
            throw new LoadToolException($"the silo did not start: {Tail(e.Message)}", e);
        }
    }

    /// <summary>SIGKILL, then waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        if (Process is null) return;
        Process.Kill();
        await Process.DisposeAsync();
        Process = null;
    }

    /// <summary>The last lines the silo printed, for an error message.</summary>
    public string Output() => Tail(Process?.Output ?? "");

    private static string Tail(string text) => text.Length <= 3000 ? text : "…" + text[^3000..];

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            Process.Signal(ProgramProcess.SigTerm);
            try
            {
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                // Kill follows in DisposeAsync.
            }
            await Process.DisposeAsync();
        }
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
