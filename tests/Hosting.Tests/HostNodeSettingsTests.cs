using Microsoft.Extensions.Configuration;
using P2PCluster.HostAgent;
using P2PCluster.Hosting;

namespace P2PCluster.Hosting.Tests;

public sealed class HostNodeSettingsTests
{
    private static HostNodeSettings Load(params (string Key, string Value)[] values) =>
        HostNodeSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void DefaultsAreTheSeeds()
    {
        var s = Load();
        Assert.Equal(5, s.Node.MaxMaps);
        Assert.Equal(100, s.Node.MaxPlayers);
        Assert.Equal(50, s.Node.UpdateInterval);
        Assert.Equal(80, s.Resources.CpuLimit);
        Assert.Equal(85, s.Resources.MemoryLimit);
        Assert.Equal(100, s.Resources.NetworkLimit);
    }

    [Fact]
    public void ShippedFileLoads()
    {
        var configuration = P2PConfiguration.Build(Path.Combine(TestSupport.RepoPaths.Root, "conf", "p2p", "host_node.conf"), "unused");
        Assert.Equal(5, HostNodeSettings.Load(configuration).Node.MaxMaps);
    }

    [Fact]
    public void PercentageOver100IsRejected()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(("resources:cpu_limit", "150"), ("node:max_maps", "0")));
        Assert.Contains(e.Errors, m => m.StartsWith("resources.cpu_limit = 150"));
        Assert.Contains(e.Errors, m => m.StartsWith("node.max_maps = 0"));
    }
}
