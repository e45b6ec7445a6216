using System.Diagnostics;
using MySqlConnector;
using P2PCluster.Hosting;

namespace P2PCluster.TestSupport;

/// <summary>
/// The MariaDB a test run uses. With <c>P2PTEST_MYSQL</c> (not P2P_…: that prefix is the programs' configuration) set (an admin connection string; scripts/test.sh sets it
/// to the server it started for the run) that server is used; otherwise a throwaway server is started in a temporary
/// folder on a free loopback port and removed afterwards. Each test gets its own database.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string AdminVariable = "P2PTEST_MYSQL";
    private const string TestUser = "p2ptest";
    private const string TestPassword = "p2ptest-pw";

    private readonly Process? _process;
    private readonly string? _directory;

    private MariaDbServer(string adminConnectionString, Process? process, string? directory)
    {
        AdminConnectionString = adminConnectionString;
        _process = process;
        _directory = directory;
    }

    /// <summary>A user allowed everything, over TCP on loopback.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The throwaway server's process id (for CPU accounting); null when <c>P2PTEST_MYSQL</c> names a server.</summary>
    public int? ProcessId => _process?.Id;

    public static async Task<MariaDbServer> StartAsync()
    {
        string? external = Environment.GetEnvironmentVariable(AdminVariable);
        if (!string.IsNullOrWhiteSpace(external)) return new MariaDbServer(external, null, null);

        string mariadbd = Find("mariadbd", "/usr/sbin/mariadbd", "/usr/bin/mariadbd")
            ?? throw new InvalidOperationException(
                "MariaDB is not installed (no mariadbd). Run the tests with scripts/test.sh, which installs it, or set " +
                AdminVariable + " to an admin connection string of a server you run.");
        string installDb = Find("mariadb-install-db", "/usr/bin/mariadb-install-db")
            ?? throw new InvalidOperationException("mariadb-install-db not found; install the mariadb-server package");

        string dir = Directory.CreateTempSubdirectory("p2p-mariadb-").FullName;
        // Temp folders are created 0700; as root the server runs as 'mysql' and must reach its data folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        string data = Path.Combine(dir, "data");
        // Socket and log go inside the data folder: install-db hands that one to the server's user.
        string socket = Path.Combine(data, "mysqld.sock");
        string errorLog = Path.Combine(data, "error.log");
        int port = FreePort.Next();
        bool root = Environment.UserName == "root";
        string userArg = root ? "--user=mysql" : "";

        await RunToEndAsync(installDb, $"--no-defaults --datadir={data} {userArg} --auth-root-authentication-method=normal --skip-test-db");
        var process = Process.Start(new ProcessStartInfo(mariadbd,
            $"--no-defaults --datadir={data} --socket={socket} --port={port} --bind-address=127.0.0.1 {userArg} " +
            "--skip-log-bin --skip-name-resolve --max-connections=500 --innodb-buffer-pool-size=128M " +
            "--innodb-flush-log-at-trx-commit=2 --log-error=" + errorLog)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        string rootConnection = $"Server={socket};Protocol=Unix;User ID=root;Pooling=false";
        try
        {
            // A server that exited will not start: its MySqlException ends the wait at once.
            await Eventually.SucceedsAsync(async () =>
            {
                await using var connection = new MySqlConnection(rootConnection);
                await connection.OpenAsync();
                await ExecuteAsync(connection,
                    $"CREATE USER IF NOT EXISTS '{TestUser}'@'127.0.0.1' IDENTIFIED BY '{TestPassword}';" +
                    $"GRANT ALL PRIVILEGES ON *.* TO '{TestUser}'@'127.0.0.1' WITH GRANT OPTION;");
            }, e => e is MySqlException && !process.HasExited, "throwaway MariaDB accepting its root user", TimeSpan.FromSeconds(30),
                TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is MySqlException or TimeoutException)
        {
            string log = File.Exists(errorLog) ? File.ReadAllText(errorLog) : "";
            await new MariaDbServer("", process, dir).DisposeAsync();
            throw new InvalidOperationException($"throwaway MariaDB did not start: {e.Message}\n{log}", e);
        }
        string admin = $"Server=127.0.0.1;Port={port};User ID={TestUser};Password={TestPassword};Pooling=true";
        return new MariaDbServer(admin, process, dir);
    }

    /// <summary>Creates an empty database with a unique name and, unless told not to, applies our schema the way --init-db does.</summary>
    public Task<string> CreateDatabaseAsync(string prefix, bool applySchema = true) => CreateDatabaseOnAsync(AdminConnectionString, prefix, applySchema);

    /// <summary>
    /// <see cref="CreateDatabaseAsync"/> on any server: <paramref name="adminConnectionString"/> names a user allowed to
    /// create databases (its own database, if any, is ignored). Returns the connection string of the new database.
    /// </summary>
    public static async Task<string> CreateDatabaseOnAsync(string adminConnectionString, string prefix, bool applySchema = true)
    {
        string name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        adminConnectionString = new MySqlConnectionStringBuilder(adminConnectionString) { Database = "" }.ConnectionString;
        await using (var connection = new MySqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4");
        }
        string connectionString = new MySqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        if (applySchema)
            await Database.InitializeAsync(new DatabaseOptions { ConnectionString = connectionString }, RepoPaths.SqlDirectory, CancellationToken.None);
        return connectionString;
    }

    /// <summary>Creates a user holding exactly what sql/grants.sql grants on <paramref name="connectionString"/>'s database.</summary>
    /// <param name="grantFiles">Files under sql/ to apply for the user (default: grants.sql).</param>
    public Task<string> CreateLeastPrivilegeUserAsync(string connectionString, params string[] grantFiles) => CreateUserWithGrantsAsync(connectionString, grantFiles);

    /// <summary>
    /// <see cref="CreateLeastPrivilegeUserAsync"/> on any server: <paramref name="connectionString"/> is an admin's, on
    /// the database the grants are for. The user connects from 127.0.0.1.
    /// </summary>
    public static async Task<string> CreateUserWithGrantsAsync(string connectionString, params string[] grantFiles)
    {
        string user = "p2pc_" + Guid.NewGuid().ToString("N")[..12];
        string password = Guid.NewGuid().ToString("N");
        var text = new System.Text.StringBuilder();
        foreach (string file in grantFiles.Length == 0 ? ["grants.sql"] : grantFiles)
            text.AppendLine(await File.ReadAllTextAsync(Path.Combine(RepoPaths.SqlDirectory, file)));
        string grants = text.ToString().Replace("'p2p_coordinator'@'%'", $"'{user}'@'127.0.0.1'");
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'");
            await ExecuteAsync(connection, grants);
        }
        return new MySqlConnectionStringBuilder(connectionString) { UserID = user, Password = password }.ConnectionString;
    }

    /// <summary>Creates rAthena's login and char tables (tests/TestSupport/Sql/rathena_main_subset.sql) in the database.</summary>
    public static async Task CreateRathenaTablesAsync(string connectionString)
    {
        string sql = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "TestSupport", "Sql", "rathena_main_subset.sql"));
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    public static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (_directory is not null)
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string? Find(string name, params string[] candidates)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return candidates.FirstOrDefault(File.Exists);
    }

    private static async Task RunToEndAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }
}
