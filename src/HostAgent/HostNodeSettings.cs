using Microsoft.Extensions.Configuration;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary>Everything <c>conf/p2p/host_node.conf</c> configures, read and validated as one.</summary>
public sealed record HostNodeSettings(NodeOptions Node, ResourcesOptions Resources, string? SourceFile)
{
    public const string DefaultPath = "conf/p2p/host_node.conf";

    public static HostNodeSettings Load(string? configPath)
    {
        var configuration = P2PConfiguration.Build(configPath, DefaultPath);
        return Load(configuration, P2PConfiguration.SourceFile(configuration));
    }

    public static HostNodeSettings Load(IConfiguration configuration, string? sourceFile = null)
    {
        var loader = new OptionsLoader(configuration);
        var settings = new HostNodeSettings(loader.Load<NodeOptions>(), loader.Load<ResourcesOptions>(), sourceFile);
        loader.ThrowIfInvalid();
        return settings;
    }
}
