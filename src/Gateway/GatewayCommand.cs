using System.CommandLine;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>The stand-alone gateway process (<c>p2p-gateway</c>): an Orleans client of the cluster in p2p.conf serving the gateway port.</summary>
public static class GatewayCommand
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config") { Description = $"YAML configuration file (default: {CoordinatorSettings.DefaultPath} if present)" };
        var root = new RootCommand("P2PCluster gateway: fronts host agents and game clients for an Orleans cluster.") { config };
        root.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config), cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string? configPath, CancellationToken cancellationToken)
    {
        CoordinatorSettings settings;
        SigningIdentity key;
        string keyOrigin;
        try
        {
            settings = CoordinatorSettings.Load(configPath);
            (key, keyOrigin) = CoordinatorKey.Load(settings);
            if (settings.Logging.HasFile) LogFile.Check(settings.Logging.FilePath);
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

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Host.UseSystemd();
        builder.Logging.AddP2PLogging(settings.Logging);
        builder.Services.AddSingleton(TimeProvider.System);
        settings.Register(builder.Services);
        builder.UseOrleansClient(client => client.AddP2PClient(settings));
        builder.Services.AddP2PGateway(key);
        builder.Services.AddHostedService(sp => new GatewayReporter(settings, keyOrigin, sp.GetRequiredService<ILogger<GatewayReporter>>()));
        builder.Services.AddHostedService<ClusterWatcher>();
        builder.Services.AddClusterTallyReporter();
        if (settings.Http.Metrics) builder.Services.AddP2PMetrics("p2p-gateway");
        builder.WebHost.ConfigureKestrel(kestrel => GatewaySetup.Listen(kestrel, settings, gateway: true));

        await using var app = builder.Build();
        if (settings.Http.Metrics) app.MapP2PMetrics();
        app.MapGet("/healthz", () => Results.Text("ok"));
        try
        {
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"p2p-gateway: failed to start or lost cluster '{settings.Cluster.ClusterId}': {e.GetBaseException().Message}");
            return 1;
        }
    }
}
