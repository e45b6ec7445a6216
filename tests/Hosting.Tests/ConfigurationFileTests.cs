using P2PCluster.Hosting;

namespace P2PCluster.Hosting.Tests;

public sealed class ConfigurationFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-conf-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string yaml)
    {
        string path = Path.Combine(_dir.FullName, "p2p.conf");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void YamlFileIsRead()
    {
        var s = CoordinatorSettings.Load(Write("coordinator:\n  port: 6121\ncluster:\n  cluster_id: prod-eu\n"));
        Assert.Equal(6121, s.Coordinator.Port);
        Assert.Equal("prod-eu", s.Cluster.ClusterId);
        Assert.EndsWith("p2p.conf", s.SourceFile);
    }

    [Fact]
    public void MissingExplicitFileIsAnError()
    {
        var e = Assert.Throws<ConfigurationException>(() => CoordinatorSettings.Load(Path.Combine(_dir.FullName, "nope.conf")));
        Assert.Contains("--config", e.Message);
        Assert.Contains("nope.conf", e.Message);
    }

    [Fact]
    public void MissingDefaultFileMeansDefaults()
    {
        var configuration = P2PConfiguration.Build(null, Path.Combine(_dir.FullName, "absent.conf"));
        Assert.Null(P2PConfiguration.SourceFile(configuration));
    }

    [Fact]
    public void BrokenYamlNamesTheFile()
    {
        var e = Assert.Throws<ConfigurationException>(() => CoordinatorSettings.Load(Write("coordinator:\n  port: [5121\n")));
        Assert.Contains("p2p.conf", e.Message);
        Assert.Contains("YAML", e.Message);
    }

    [Fact]
    public void ValueOutOfRangeInFileNamesTheKey()
    {
        var e = Assert.Throws<ConfigurationException>(() => CoordinatorSettings.Load(Write("cluster:\n  silo_port: 70000\n")));
        Assert.Contains(e.Errors, m => m.StartsWith("cluster.silo_port = 70000"));
    }
}
