using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>
/// The stand-alone gateway process: an Orleans client of the cluster configured in p2p.conf. Its packet listeners
/// arrive with the wire protocol; today it joins the cluster as a client and reports the silos it sees.
/// </summary>
public static class GatewayCommand
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config") { Description = $"YAML configuration file (default: {CoordinatorSettings.DefaultPath} if present)" };
        var root = new RootCommand("P2PCluster gateway: Orleans client that fronts host agents and game clients.") { config };
        root.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config), cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string? configPath, CancellationToken cancellationToken)
    {
        CoordinatorSettings settings;
        try
        {
            settings = CoordinatorSettings.Load(configPath);
            if (!settings.Database.IsEmbedded) await Database.CheckAsync(settings.Database, cancellationToken);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"p2p-gateway: {e.Message}");
            return 2;
        }
        catch (DatabaseException e)
        {
            Console.Error.WriteLine($"p2p-gateway: {e.Message}");
            return 3;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddSystemd();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        settings.Register(builder.Services);
        builder.UseOrleansClient(client => client.AddP2PClient(settings));
        builder.Services.AddHostedService<ClusterWatcher>();
        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"p2p-gateway: cannot join cluster '{settings.Cluster.ClusterId}': {e.GetBaseException().Message}");
            return 1;
        }
    }
}
