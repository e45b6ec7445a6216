using System.CommandLine;
using P2PCluster.Gateway;
using P2PCluster.Grains.Accounts;
using P2PCluster.Hosting;
using P2PCluster.Silo.Accounts;
using P2PCluster.Protocol;

namespace P2PCluster.Silo;

/// <summary>The <c>p2p-silo</c> command line: run a silo, or initialise the database and exit.</summary>
public static class SiloCommand
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config") { Description = $"YAML configuration file (default: {CoordinatorSettings.DefaultPath} if present)" };
        var initDb = new Option<bool>("--init-db") { Description = "Apply the schema in sql/ to database.connection_string (idempotent), then exit" };
        var demo = new Option<bool>("--demo") { Description = "Also run a few host agents in this process (1 VPS, 3 P2P) to watch placement and failover" };
        var root = new RootCommand("P2PCluster coordinator silo: Orleans cluster member hosting map, host and session grains.")
        {
            config,
            initDb,
            demo,
        };
        root.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(config), result.GetValue(initDb), result.GetValue(demo), cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string? configPath, bool initDb, bool demo, CancellationToken cancellationToken)
    {
        CoordinatorSettings settings;
        SigningIdentity? key = null;
        string keyOrigin = "";
        (IAccountStore, AccountSourceDescription)? accounts = null;
        try
        {
            settings = CoordinatorSettings.Load(configPath);
            if (!initDb && settings.Coordinator.HostedGateway) (key, keyOrigin) = CoordinatorKey.Load(settings);
            if (!initDb) accounts = AccountStores.Create(settings);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"p2p-silo: {e.Message}");
            return ExitCodes.BadConfiguration;
        }

        try
        {
            if (initDb) return await InitDatabaseAsync(settings, cancellationToken);
            if (!settings.Database.IsEmbedded) await Database.CheckAsync(settings.Database, cancellationToken);
        }
        catch (DatabaseException e)
        {
            Console.Error.WriteLine($"p2p-silo: {e.Message}");
            return ExitCodes.DatabaseUnavailable;
        }

        if (demo && key is null)
        {
            Console.Error.WriteLine("p2p-silo: --demo needs the gateway in this silo (coordinator.hosted_gateway: true)");
            return ExitCodes.BadConfiguration;
        }
        WebApplication app;
        try
        {
            app = SiloHost.Build(settings, key is null ? null : (key, keyOrigin), demo, accounts);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"p2p-silo: {e.Message}");
            return ExitCodes.BadConfiguration;
        }
        try
        {
            await app.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("p2p-silo: stopped before start-up completed");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OrleansException or InvalidOperationException)
        {
            // Port already in use and the like: say what, not a stack trace; the host has already stopped what it started.
            Console.Error.WriteLine($"p2p-silo: failed to start: {e.GetBaseException().Message}");
            return ExitCodes.StartFailed;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<int> InitDatabaseAsync(CoordinatorSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Database.IsEmbedded)
        {
            Console.Error.WriteLine("p2p-silo: --init-db needs database.connection_string (or P2P_database__connection_string); the embedded default has no database");
            return ExitCodes.BadConfiguration;
        }
        string sqlDirectory = Path.Combine(AppContext.BaseDirectory, "sql");
        var applied = await Database.InitializeAsync(settings.Database, sqlDirectory, cancellationToken);
        foreach (string file in applied) Console.WriteLine($"applied {file}");
        Console.WriteLine($"schema ready on {Database.Describe(settings.Database)}");
        return ExitCodes.Ok;
    }
}
