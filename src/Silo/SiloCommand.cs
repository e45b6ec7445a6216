using System.CommandLine;
using P2PCluster.Gateway;
using P2PCluster.Grains.Accounts;
using P2PCluster.Hosting;
using P2PCluster.Silo.Accounts;
using P2PCluster.Protocol;

namespace P2PCluster.Silo;

/// <summary>
/// The <c>p2p-silo</c> command line: run a silo, or initialise the database and exit. <c>p2p-demo</c> (src/Demo) runs
/// the same command with its agents and players added to the silo's host.
/// </summary>
public static class SiloCommand
{
    /// <param name="program">The name messages begin with.</param>
    /// <param name="addServices">Services added to the silo's host (they need the gateway in this silo); null for a plain silo.</param>
    public static RootCommand Create(string program = "p2p-silo",
        string description = "P2PCluster coordinator silo: Orleans cluster member hosting map, host and session grains.",
        Action<IServiceCollection>? addServices = null)
    {
        var config = new Option<string?>("--config") { Description = $"YAML configuration file (default: {CoordinatorSettings.DefaultPath} if present)" };
        var initDb = new Option<bool>("--init-db") { Description = "Apply the schema in sql/ to database.connection_string (idempotent), then exit" };
        var root = new RootCommand(description)
        {
            config,
            initDb,
        };
        root.SetAction((result, cancellationToken) =>
            RunAsync(program, addServices, result.GetValue(config), result.GetValue(initDb), cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string program, Action<IServiceCollection>? addServices, string? configPath, bool initDb,
        CancellationToken cancellationToken)
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
            Console.Error.WriteLine($"{program}: {e.Message}");
            return ExitCodes.BadConfiguration;
        }

        try
        {
            if (initDb) return await InitDatabaseAsync(program, settings, cancellationToken);
            if (!settings.Database.IsEmbedded) await Database.CheckAsync(settings.Database, cancellationToken);
        }
        catch (DatabaseException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return ExitCodes.DatabaseUnavailable;
        }

        if (addServices is not null && key is null)
        {
            Console.Error.WriteLine($"{program}: needs the gateway in this silo (coordinator.hosted_gateway: true)");
            return ExitCodes.BadConfiguration;
        }
        WebApplication app;
        try
        {
            app = SiloHost.Build(settings, key is null ? null : (key, keyOrigin), addServices, accounts);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return ExitCodes.BadConfiguration;
        }
        try
        {
            await app.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{program}: stopped before start-up completed");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OrleansException or InvalidOperationException)
        {
            // Port already in use and the like: say what, not a stack trace; the host has already stopped what it started.
            Console.Error.WriteLine($"{program}: failed to start: {e.GetBaseException().Message}");
            return ExitCodes.StartFailed;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<int> InitDatabaseAsync(string program, CoordinatorSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Database.IsEmbedded)
        {
            Console.Error.WriteLine($"{program}: --init-db needs database.connection_string (or P2P_database__connection_string); the embedded default has no database");
            return ExitCodes.BadConfiguration;
        }
        string sqlDirectory = Path.Combine(AppContext.BaseDirectory, "sql");
        var applied = await Database.InitializeAsync(settings.Database, sqlDirectory, cancellationToken);
        foreach (string file in applied) Console.WriteLine($"applied {file}");
        Console.WriteLine($"schema ready on {Database.Describe(settings.Database)}");
        return ExitCodes.Ok;
    }
}
