using System.CommandLine;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary>
/// The <c>p2p-host-agent</c> command line. Today it reads and validates host_node.conf (<c>--check-config</c> prints
/// the result); connecting to the coordinator and running maps arrive with the host-agent issue.
/// </summary>
public static class AgentCommand
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config") { Description = $"YAML configuration file (default: {HostNodeSettings.DefaultPath} if present)" };
        var check = new Option<bool>("--check-config") { Description = "Validate the configuration, print it and exit" };
        var root = new RootCommand("P2PCluster host agent: hosts maps on this machine for the cluster.") { config, check };
        root.SetAction(result => Run(result.GetValue(config), result.GetValue(check)));
        return root;
    }

    private static int Run(string? configPath, bool checkOnly)
    {
        HostNodeSettings settings;
        try
        {
            settings = HostNodeSettings.Load(configPath);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"p2p-host-agent: {e.Message}");
            return 2;
        }

        Console.WriteLine($"config: {settings.SourceFile ?? "(built-in defaults)"}");
        Console.WriteLine($"node: max_maps={settings.Node.MaxMaps} max_players={settings.Node.MaxPlayers} update_interval={settings.Node.UpdateInterval}ms");
        Console.WriteLine($"resources: cpu_limit={settings.Resources.CpuLimit}% memory_limit={settings.Resources.MemoryLimit}% network_limit={settings.Resources.NetworkLimit}Mbit/s");
        if (checkOnly) return 0;
        Console.Error.WriteLine("p2p-host-agent: connecting to a coordinator is not available in this build yet (see issue: host agent daemon); use --check-config");
        return 1;
    }
}
