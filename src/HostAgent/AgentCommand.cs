using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.HostAgent.Metrics;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent;

/// <summary>
/// The <c>p2p-host-agent</c> command line: runs the agent daemon (connects to the coordinator, hosts the maps it
/// assigns) until SIGTERM, or with <c>--check-config</c> validates host_node.conf, prints it and exits.
/// </summary>
public static class AgentCommand
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config") { Description = $"YAML configuration file (default: {AgentPaths.ForThisSystem().DefaultConfigFile} if present)" };
        var check = new Option<bool>("--check-config") { Description = "Validate the configuration, print it and exit" };
        var root = new RootCommand("P2PCluster host agent: hosts maps on this machine for the cluster.") { config, check };
        root.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config), result.GetValue(check), cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string? configPath, bool checkOnly, CancellationToken cancellationToken)
    {
        HostNodeSettings settings;
        byte[] coordinatorKey;
        HostIdentity identity;
        try
        {
            settings = HostNodeSettings.Load(configPath);
            (coordinatorKey, string keyOrigin) = PinnedCoordinatorKey.Load(settings.Coordinator);
            if (checkOnly)
            {
                foreach (string line in settings.Describe()) Console.WriteLine(line);
                Console.WriteLine($"coordinator key: {keyOrigin} (key id {KeyNames.KeyId(coordinatorKey)})");
                var existing = HostIdentity.LoadExisting(settings.Identity.KeyFile);
                Console.WriteLine(existing is null
                    ? $"host key: {Path.GetFullPath(settings.Identity.KeyFile)} does not exist yet; the agent creates it on first run"
                    : $"host key: {existing.KeyFile} (host id {existing.HostId})");
                return ExitCodes.Ok;
            }
            if (settings.Logging.HasFile) LogFile.Check(settings.Logging.FilePath);
            identity = HostIdentity.LoadOrCreate(settings.Identity.KeyFile);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"p2p-host-agent: {e.Message}");
            return ExitCodes.BadConfiguration;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.AddP2PLogging(settings.Logging);
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = "p2p-host-agent");
        builder.Services.AddHostAgent(settings, identity, coordinatorKey);
        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
        catch (Exception e) when (AgentMetricsSetup.Describe(e, settings.Metrics) is { } problem)
        {
            // What only starting can find out: metrics.listen on a port already taken.
            Console.Error.WriteLine($"p2p-host-agent: invalid configuration:{Environment.NewLine}  {problem}");
            return ExitCodes.BadConfiguration;
        }
        finally
        {
            identity.Key.Dispose();
        }
    }
}
