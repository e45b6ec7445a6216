using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using P2PCluster.Client;
using P2PCluster.Hosting;
using P2PCluster.Protocol;
using P2PCluster.Silo;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// A real silo with its gateway, composed as p2p-silo composes it, on a MariaDB database of its own (membership,
/// grain state, reminders, rAthena's login and char tables) reached as a user of its own, which tests can take the
/// database away from (<see cref="CutDatabaseAsync"/>) and give it back.
/// </summary>
public sealed class MariaDbSiloFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("p2p-gwdb-");
    private MariaDbServer? _server;
    private WebApplication? _app;
    private string _user = "", _database = "";

    public string AdminConnectionString { get; private set; } = "";
    public IPEndPoint Endpoint { get; private set; } = null!;
    public byte[] CoordinatorPublicKey { get; private set; } = [];
    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _server = await MariaDbServer.StartAsync();
        AdminConnectionString = await _server.CreateDatabaseAsync("silodb");
        await MariaDbServer.CreateRathenaTablesAsync(AdminConnectionString);
        _database = new MySqlConnectionStringBuilder(AdminConnectionString).Database;
        _user = "p2ps_" + Guid.NewGuid().ToString("N")[..12];
        string password = Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE USER '{_user}'@'127.0.0.1' IDENTIFIED BY '{password}'; GRANT ALL PRIVILEGES ON `{_database}`.* TO '{_user}'@'127.0.0.1';");
        string connectionString = new MySqlConnectionStringBuilder(AdminConnectionString) { UserID = _user, Password = password }.ConnectionString;

        int port = FreePort.Next();
        string keyFile = Path.Combine(_dataDir.FullName, "coordinator.pem");
        KeyFiles.CreatePrivate(keyFile).Dispose();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["database:connection_string"] = connectionString,
            ["coordinator:port"] = port.ToString(),
            ["coordinator:db_proxy_port"] = FreePort.Next().ToString(),
            ["coordinator:bind_address"] = "127.0.0.1",
            ["cluster:advertised_address"] = "127.0.0.1",
            ["cluster:silo_port"] = FreePort.Next().ToString(),
            ["cluster:gateway_port"] = FreePort.Next().ToString(),
            ["http:urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["security:data_dir"] = _dataDir.FullName,
            ["security:coordinator_key_file"] = keyFile,
            ["distribution:heartbeat_timeout_ms"] = "600000",
        }).Build();
        var settings = CoordinatorSettings.Load(configuration);
        var key = CoordinatorKey.Load(settings);
        CoordinatorPublicKey = key.Identity.PublicKey;
        _app = SiloHost.Build(settings, key);
        await _app.StartAsync();
        Endpoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_server is not null) await _server.DisposeAsync();
        _dataDir.Delete(recursive: true);
    }

    /// <summary>The silo's user loses every right on its database and its open connections are killed: the database is gone for it.</summary>
    public async Task CutDatabaseAsync()
    {
        await ExecuteAsync($"REVOKE ALL PRIVILEGES ON `{_database}`.* FROM '{_user}'@'127.0.0.1'");
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        var ids = new List<long>();
        await using (var list = new MySqlCommand($"SELECT id FROM information_schema.processlist WHERE user = '{_user}'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(Convert.ToInt64(reader.GetValue(0)));
        foreach (long id in ids)
        {
            try { await MariaDbServer.ExecuteAsync(connection, $"KILL {id}"); }
            catch (MySqlException) { } // it ended meanwhile
        }
    }

    public Task RestoreDatabaseAsync() => ExecuteAsync($"GRANT ALL PRIVILEGES ON `{_database}`.* TO '{_user}'@'127.0.0.1'");

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await MariaDbServer.ExecuteAsync(connection, sql);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? -1L);
    }

    /// <summary>Options of a VPS host agent with <paramref name="identity"/>.</summary>
    public CoordinatorConnectionOptions HostOptions(SigningIdentity identity) => new()
    {
        CoordinatorKeys = [CoordinatorPublicKey], Role = PeerRole.HostAgent, Identity = identity, HostKind = 1, Endpoint = "127.0.0.1:6121",
    };
}

[CollectionDefinition(Name)]
public sealed class MariaDbSiloCollection : ICollectionFixture<MariaDbSiloFixture>
{
    public const string Name = "silo on MariaDB";
}
