using System.Diagnostics;
using MySqlConnector;
using P2PCluster.TestSupport;

namespace P2PCluster.Chaos;

/// <summary>
/// A MariaDB server of the chaos suite's own (not the shared one in <c>P2PTEST_MYSQL</c>): one data folder and one
/// port for its whole life, so it can be stopped with SIGTERM or kill -9 and started again on the same data, and its
/// writes blocked with <c>FLUSH TABLES WITH READ LOCK</c>. Durability settings are MariaDB's defaults (a commit is on
/// disk when acknowledged).
/// </summary>
public sealed class ChaosMariaDb : IAsyncDisposable
{
    private const string User = "chaos", Password = "chaos-pw";
    private readonly string _directory;
    private readonly string _data;
    private Process? _process;

    private ChaosMariaDb(string directory, int port)
    {
        _directory = directory;
        _data = Path.Combine(directory, "data");
        Port = port;
    }

    public int Port { get; }

    /// <summary>An admin over TCP on loopback; without a database.</summary>
    public string AdminConnectionString => $"Server=127.0.0.1;Port={Port};User ID={User};Password={Password};Pooling=false;Connection Timeout=5";

    public static async Task<ChaosMariaDb> StartAsync()
    {
        if (Mariadbd is null) throw new InvalidOperationException("MariaDB is not installed (no mariadbd); scripts/test.sh installs it");
        string dir = Directory.CreateTempSubdirectory("p2p-chaos-mariadb-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101); // as root the server runs as 'mysql' and must reach its folder
        var server = new ChaosMariaDb(dir, TestSupport.FreePort.Next());
        await Posix.RunAsync("mariadb-install-db", ["--no-defaults", $"--datadir={server._data}", .. server.UserArguments,
            "--auth-root-authentication-method=normal", "--skip-test-db"]);
        server.Launch();
        try
        {
            await server.WaitUntilAsync(async () =>
            {
                await using var root = new MySqlConnection($"Server={server.Socket};Protocol=Unix;User ID=root;Pooling=false");
                await root.OpenAsync();
                await using var command = root.CreateCommand();
                command.CommandText = $"CREATE USER IF NOT EXISTS '{User}'@'127.0.0.1' IDENTIFIED BY '{Password}'; GRANT ALL PRIVILEGES ON *.* TO '{User}'@'127.0.0.1' WITH GRANT OPTION;";
                await command.ExecuteNonQueryAsync();
            }, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private static string? Mariadbd { get; } = new[] { "/usr/sbin/mariadbd", "/usr/bin/mariadbd" }.FirstOrDefault(File.Exists);
    private string Socket => Path.Combine(_data, "mysqld.sock");
    private string ErrorLog => Path.Combine(_data, "error.log");
    private string[] UserArguments => Environment.UserName == "root" ? ["--user=mysql"] : [];

    private void Launch()
    {
        var info = new ProcessStartInfo(Mariadbd!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["--no-defaults", $"--datadir={_data}", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
                     .. UserArguments, "--skip-log-bin", "--skip-name-resolve", "--max-connections=500", "--innodb-buffer-pool-size=128M",
                     $"--log-error={ErrorLog}"])
            info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the server again on the same data folder and port; returns once it answers over TCP.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("mariadbd is still running");
        Launch();
        await WaitUntilAsync(async () =>
        {
            await using var connection = new MySqlConnection(AdminConnectionString);
            await connection.OpenAsync();
        }, TimeSpan.FromSeconds(120));
    }

    /// <summary>Sends <paramref name="signal"/> (SIGTERM: clean shutdown; SIGKILL: crash) and waits until the server is gone.</summary>
    public async Task StopAsync(int signal)
    {
        var process = _process ?? throw new InvalidOperationException("mariadbd not started");
        Posix.Signal(process.Id, signal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>
    /// Blocks every write (FLUSH TABLES WITH READ LOCK) until the returned handle is disposed (UNLOCK TABLES). Reads
    /// still work: the cluster sees a database that accepts connections and hangs every write.
    /// </summary>
    public async Task<IAsyncDisposable> BlockWritesAsync()
    {
        var connection = new MySqlConnection(AdminConnectionString + ";Default Command Timeout=60");
        await connection.OpenAsync();
        await using (var command = new MySqlCommand("FLUSH TABLES WITH READ LOCK", connection)) await command.ExecuteNonQueryAsync();
        return new WriteBlock(connection);
    }

    private sealed class WriteBlock(MySqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = new MySqlCommand("UNLOCK TABLES", connection)) await command.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task WaitUntilAsync(Func<Task> attempt, TimeSpan timeout)
    {
        try
        {
            // A server that exited will not answer: its MySqlException ends the wait at once.
            await Eventually.SucceedsAsync(attempt, e => e is MySqlException && _process is { HasExited: false }, "chaos MariaDB answering", timeout,
                TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is MySqlException or TimeoutException)
        {
            string log = File.Exists(ErrorLog) ? File.ReadAllText(ErrorLog) : "";
            throw new InvalidOperationException($"chaos MariaDB did not answer within {timeout}: {e.Message}\n{log}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
