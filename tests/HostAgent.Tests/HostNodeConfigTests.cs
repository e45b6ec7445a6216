using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>host_node.conf's new sections: defaults, and every mistake reported with the key to fix.</summary>
public sealed class HostNodeConfigTests
{
    private static ConfigurationException Rejected(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Config.Settings(values));

    [Fact]
    public void DefaultsMatchTheIssue()
    {
        var s = Config.Settings();
        Assert.Equal([new CoordinatorEndpoint("127.0.0.1", 5121)], s.Coordinator.EndpointList);
        Assert.Equal("data/coordinator_ed25519.pub.pem", s.Coordinator.PublicKey);
        Assert.True(s.Coordinator.RequireEncryption);
        Assert.Equal(1000, s.Coordinator.HeartbeatIntervalMs);
        Assert.Equal(2500, s.Coordinator.LeaseMs);
        Assert.Equal(5122, s.Coordinator.DbProxyPort);
        Assert.Equal("data/host_ed25519.pem", s.Identity.KeyFile);
        Assert.Equal(HostKind.P2P, s.Identity.Kind);
        Assert.Equal("127.0.0.1", s.Identity.AdvertisedHost);
        Assert.Equal((6200, 6299), (s.Maps.PortRangeStart, s.Maps.PortRangeEnd));
        Assert.Equal("", s.Maps.Command);
        Assert.Null(s.Maps.ParsedCommand);
        Assert.Equal(1000, s.Maps.RestartBackoffMs);
        Assert.Equal("", s.Resources.MetricsFile);
        Assert.Equal("127.0.0.1:6200", s.IdentifyEndpoint);
        Assert.False(s.Metrics.Enabled);
    }

    [Theory]
    [InlineData("127.0.0.1:9464")]
    [InlineData("127.0.0.53:1")]
    [InlineData("[::1]:9464")]
    public void MetricsListenOnLoopbackIsAccepted(string listen)
    {
        var s = Config.Settings(("metrics:listen", listen));
        Assert.True(s.Metrics.Enabled);
        Assert.True(System.Net.IPAddress.IsLoopback(s.Metrics.Endpoint!.Address));
    }

    [Theory]
    [InlineData("0.0.0.0:9464", "must be a loopback address")]
    [InlineData("[::]:9464", "must be a loopback address")]
    [InlineData("10.1.2.3:9464", "must be a loopback address")]
    [InlineData("localhost:9464", "must be empty (off) or a loopback address and port")]
    [InlineData("127.0.0.1", "must be empty (off) or a loopback address and port")]
    [InlineData("127.0.0.1:70000", "must be empty (off) or a loopback address and port")]
    [InlineData("::1:9464", "must be empty (off) or a loopback address and port")]
    public void MetricsListenOffLoopbackIsRejectedNamingTheKey(string listen, string message)
    {
        var e = Rejected(("metrics:listen", listen));
        Assert.Contains(e.Errors, m => m.StartsWith($"metrics.listen = '{listen}': {message}"));
    }

    [Fact]
    public void ShippedFileHoldsTheDefaults()
    {
        var configuration = P2PConfiguration.Build(Path.Combine(TestSupport.RepoPaths.Root, "conf", "p2p", "host_node.conf"), "unused");
        var shipped = HostNodeSettings.Load(configuration);
        Assert.Equal(Config.Settings().Describe().Skip(1), shipped.Describe().Skip(1));
    }

    [Fact]
    public void SeveralEndpointsAndNamesParse()
    {
        var s = Config.Settings(("coordinator:endpoints", "gw1.example.org:5121, 10.0.0.2:6121,[::1]:7000"), ("identity:kind", "vps"),
            ("identity:advertised_host", "::1"), ("maps:port_range_start", "7000"), ("maps:port_range_end", "7010"));
        Assert.Equal(["gw1.example.org:5121", "10.0.0.2:6121", "[::1]:7000"], s.Coordinator.EndpointList.Select(e => e.ToString()));
        Assert.Equal(HostKind.Vps, s.Identity.Kind);
        Assert.Equal("[::1]:7000", s.IdentifyEndpoint);
    }

    [Fact]
    public void UnknownKindIsRejectedNamingTheKey()
    {
        var e = Rejected(("identity:kind", "laptop"));
        Assert.Contains(e.Errors, m => m.StartsWith("identity.kind: 'laptop' is not one of: p2p, vps"));
    }

    [Theory]
    [InlineData("6300", "6200", "maps.port_range_end = 6200: must not be below maps.port_range_start (6300)")]
    [InlineData("0", "6200", "maps.port_range_start = 0: must be a TCP port")]
    [InlineData("6200", "70000", "maps.port_range_end = 70000: must be a TCP port")]
    [InlineData("6200", "6202", "maps.port_range_start..maps.port_range_end (6200-6202) holds 3 port(s), fewer than node.max_maps = 5")]
    public void BadPortRangeIsRejectedNamingTheKeys(string start, string end, string expected)
    {
        var e = Rejected(("maps:port_range_start", start), ("maps:port_range_end", end));
        Assert.Contains(e.Errors, m => m.StartsWith(expected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:5121,:5121")]
    [InlineData("::1:5121")]
    [InlineData("bad host:5121")]
    [InlineData("127.0.0.1:http")]
    public void BadEndpointsAreRejectedNamingTheKey(string endpoints)
    {
        var e = Rejected(("coordinator:endpoints", endpoints));
        Assert.Contains(e.Errors, m => m.StartsWith("coordinator.endpoints = "));
    }

    [Fact]
    public void LeaseShorterThanTwoHeartbeatsIsRejectedNamingTheKey()
    {
        Assert.Equal(1200, Config.Settings(("coordinator:lease_ms", "1200"), ("coordinator:heartbeat_interval_ms", "600")).Coordinator.LeaseMs);
        var e = Rejected(("coordinator:lease_ms", "1000"), ("coordinator:heartbeat_interval_ms", "600"));
        Assert.Contains(e.Errors, m => m.StartsWith("coordinator.lease_ms = 1000") && m.Contains("twice coordinator.heartbeat_interval_ms (600)"));
        Assert.Contains(Rejected(("coordinator:lease_ms", "100")).Errors, m => m.StartsWith("coordinator.lease_ms = 100"));
    }

    [Fact]
    public void OtherBadValuesAreAllListedAtOnce()
    {
        var e = Rejected(("identity:advertised_host", "not a host"), ("coordinator:heartbeat_interval_ms", "10"), ("maps:bind_address", "everywhere"),
            ("maps:command", "/opt/map-server '{map}"), ("node:max_maps", "256"), ("node:max_players", "70000"), ("maps:restart_backoff_ms", "0"),
            ("coordinator:require_encryption", "maybe"), ("maps:colour", "red"), ("coordinator:endpoints", "nowhere"), ("identity:key_file", ""),
            ("coordinator:db_proxy_port", "70000"));
        string[] keys =
        [
            "identity.advertised_host = 'not a host'", "coordinator.heartbeat_interval_ms = 10", "maps.bind_address = 'everywhere'",
            "maps.command = '/opt/map-server '{map}': unbalanced ' quote", "node.max_maps = 256: must be between 1 and 255",
            "node.max_players = 70000: must be between 1 and 65535", "maps.restart_backoff_ms = 0", "coordinator.require_encryption: 'maybe'",
            "maps.colour: unknown key", "coordinator.endpoints = 'nowhere'", "identity.key_file = '': required",
            "coordinator.db_proxy_port = 70000: must be a TCP port between 1 and 65535",
        ];
        foreach (string key in keys) Assert.Contains(e.Errors, m => m.StartsWith(key));
    }

    [Fact]
    public void MissingPublicKeyFileIsRejectedNamingTheKey()
    {
        var s = Config.Settings(("coordinator:public_key", "/nonexistent/coordinator.pub.pem"));
        var e = Assert.Throws<ConfigurationException>(() => PinnedCoordinatorKey.Load(s.Coordinator));
        Assert.StartsWith("coordinator.public_key: file '/nonexistent/coordinator.pub.pem' does not exist", Assert.Single(e.Errors));
    }

    [Fact]
    public void PublicKeyIsReadFromAFileOrInline()
    {
        using var key = SigningIdentity.Generate();
        string dir = Directory.CreateTempSubdirectory("p2p-pin-").FullName;
        try
        {
            string pem = Path.Combine(dir, "coordinator.pub.pem");
            KeyFiles.WritePublic(pem, key);
            string garbage = Path.Combine(dir, "garbage.pem");
            File.WriteAllText(garbage, "hello");
            foreach (string value in new[] { pem, File.ReadAllText(pem), Convert.ToHexString(key.PublicKey), Convert.ToBase64String(key.PublicKey) })
                Assert.Equal(key.PublicKey, PinnedCoordinatorKey.Load(Config.Settings(("coordinator:public_key", value)).Coordinator).Key);

            var e = Assert.Throws<ConfigurationException>(() => PinnedCoordinatorKey.Load(Config.Settings(("coordinator:public_key", garbage)).Coordinator));
            Assert.StartsWith($"coordinator.public_key: '{garbage}' is not an Ed25519 public key", Assert.Single(e.Errors));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
