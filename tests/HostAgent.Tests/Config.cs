using Microsoft.Extensions.Configuration;

namespace P2PCluster.HostAgent.Tests;

/// <summary>Builds host_node.conf settings from key/value pairs (<c>section:key</c>), as the YAML file would.</summary>
public static class Config
{
    public static IConfiguration Of(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    public static HostNodeSettings Settings(params (string Key, string Value)[] values) => HostNodeSettings.Load(Of(values));
}
