using System.Text.RegularExpressions;
using P2PCluster.TestSupport;
using YamlDotNet.RepresentationModel;

namespace P2PCluster.Release.Tests;

/// <summary>
/// docker-compose.yml as <c>docker-compose config</c> resolves it (Debian package docker-compose; no Docker daemon
/// needed): MariaDB, two silos, a stand-alone gateway and a VPS host agent built from deploy/Dockerfile's targets,
/// health checks on each, and every P2P_ variable naming a key the program's configuration has.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> Passwords = new() { ["MARIADB_ROOT_PASSWORD"] = "root-pw", ["P2P_DB_PASSWORD"] = "p2p-pw" };

    [Fact]
    public async Task ConfigHasTheClusterWithHealthChecks()
    {
        var services = (YamlMappingNode)(await ConfigAsync())["services"];
        Assert.Equal(["gateway", "host-agent", "init-db", "keys", "mariadb", "silo1", "silo2"], services.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        foreach (string name in new[] { "mariadb", "silo1", "silo2", "gateway", "host-agent" })
            Assert.True(((YamlMappingNode)services[name]).Children.ContainsKey("healthcheck"), $"{name} has no healthcheck");
        foreach (string silo in new[] { "silo1", "silo2" })
        {
            Assert.Equal("p2pcluster-silo", Scalar(services, silo, "image"));
            Assert.Contains("http://127.0.0.1:8080/healthz", HealthTest(services, silo));
            Assert.Equal("false", Environment(services, silo)["P2P_coordinator__hosted_gateway"]);
        }
        Assert.Contains("http://127.0.0.1:8080/healthz", HealthTest(services, "gateway"));
        Assert.Contains("p2p_agent_maps_running", HealthTest(services, "host-agent"));
        Assert.Equal("vps", Environment(services, "host-agent")["P2P_identity__kind"]);
        Assert.Equal("gateway:5121", Environment(services, "host-agent")["P2P_coordinator__endpoints"]);
    }

    [Fact]
    public async Task EveryBuildTargetIsAStageOfTheDockerfile()
    {
        string dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "Dockerfile"));
        var stages = Stage().Matches(dockerfile).Select(m => m.Groups[1].Value).ToHashSet();
        var services = (YamlMappingNode)(await ConfigAsync())["services"];
        var targets = services.Children.Values.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("build")).Select(s => ((YamlMappingNode)s["build"])["target"].ToString()).ToList();
        Assert.Equal(["gateway", "host-agent", "silo"], targets.Distinct().Order(StringComparer.Ordinal));
        Assert.All(targets, target => Assert.Contains(target, stages));
        // Each target runs its program's assembly, which the build stage publishes.
        foreach (string assembly in new[] { "P2PCluster.Silo", "P2PCluster.Gateway", "P2PCluster.HostAgent" })
            Assert.Contains($"/opt/p2pcluster/bin/{assembly}.dll", dockerfile);
    }

    [Fact]
    public async Task EveryP2PVariableNamesAConfigurationKey()
    {
        var coordinator = Keys("p2p.conf");
        var agent = Keys("host_node.conf");
        var services = (YamlMappingNode)(await ConfigAsync())["services"];
        foreach (var (name, node) in services.Children.Select(c => (c.Key.ToString(), (YamlMappingNode)c.Value)))
        {
            if (!node.Children.ContainsKey("environment")) continue;
            var known = name == "host-agent" ? agent : coordinator;
            foreach (string variable in ((YamlMappingNode)node["environment"]).Children.Keys.Select(k => k.ToString()).Where(k => k.StartsWith("P2P_", StringComparison.Ordinal)))
            {
                string key = variable["P2P_".Length..].Replace("__", ".", StringComparison.Ordinal);
                Assert.True(known.Contains(key), $"{name}: {variable} is not a key of {(name == "host-agent" ? "host_node.conf" : "p2p.conf")} ({key})");
            }
        }
    }

    [Fact]
    public async Task MissingPasswordsAreNamed()
    {
        var run = await ProcessRun.RunAsync(DockerCompose(), ["config", "--quiet"], RepoPaths.Root, Timeout);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("set MARIADB_ROOT_PASSWORD", run.StandardError);
    }

    private static async Task<YamlMappingNode> ConfigAsync()
    {
        var run = await ProcessRun.RunAsync(DockerCompose(), ["config"], RepoPaths.Root, Timeout, Passwords);
        Assert.True(run.ExitCode == 0, run.Describe());
        var yaml = new YamlStream();
        yaml.Load(new StringReader(run.StandardOutput));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string DockerCompose()
    {
        foreach (string dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "docker-compose"))) return Path.Combine(dir, "docker-compose");
        throw new Xunit.Sdk.XunitException(
            "docker-compose is not installed: install the Debian package docker-compose (apt-get install --no-install-recommends docker-compose), as scripts/test.sh does");
    }

    private static string Scalar(YamlMappingNode services, string service, string key) => ((YamlMappingNode)services[service])[key].ToString();

    private static string HealthTest(YamlMappingNode services, string service) =>
        string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)services[service])["healthcheck"])["test"]).Children.Select(c => c.ToString()));

    private static Dictionary<string, string> Environment(YamlMappingNode services, string service) =>
        ((YamlMappingNode)((YamlMappingNode)services[service])["environment"]).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());

    /// <summary>Every <c>section.key</c> of a conf/p2p file.</summary>
    private static HashSet<string> Keys(string conf)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "conf", "p2p", conf))));
        return [.. ((YamlMappingNode)yaml.Documents[0].RootNode).Children
            .Where(section => section.Value is YamlMappingNode)
            .SelectMany(section => ((YamlMappingNode)section.Value).Children.Keys.Select(key => $"{section.Key}.{key}"))];
    }

    [GeneratedRegex(@"^FROM\s+\S+\s+AS\s+(\S+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Stage();
}
