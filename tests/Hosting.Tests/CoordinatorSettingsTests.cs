using Microsoft.Extensions.Configuration;
using P2PCluster.Hosting;

namespace P2PCluster.Hosting.Tests;

public sealed class CoordinatorSettingsTests
{
    private static CoordinatorSettings Load(params (string Key, string Value)[] values) =>
        CoordinatorSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    private static ConfigurationException Rejects(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Load(values));

    [Fact]
    public void EmptyConfigurationGivesTheSeedDefaults()
    {
        var s = Load();
        Assert.Equal(5121, s.Coordinator.Port);
        Assert.Equal(5122, s.Coordinator.DbProxyPort);
        Assert.Equal(1000, s.Coordinator.MaxConnections);
        Assert.True(s.Security.EncryptionEnabled);
        Assert.Equal(3600, s.Security.KeyRotationInterval);
        Assert.Equal(5000, s.Monitoring.MetricsInterval);
        Assert.True(s.Monitoring.AlertEnabled);
        Assert.True(s.Database.IsEmbedded);
        Assert.Equal("http://127.0.0.1:8080", s.Http.Urls);
        Assert.True(s.Http.Metrics);
    }

    [Fact]
    public void ShippedConfigFileLoadsAndMatchesTheDefaults()
    {
        var configuration = P2PConfiguration.Build(Path.Combine(TestSupport.RepoPaths.Root, "conf", "p2p", "p2p.conf"), "unused");
        var fromFile = CoordinatorSettings.Load(configuration);
        var defaults = Load();
        Assert.Equal(defaults.Coordinator.Port, fromFile.Coordinator.Port);
        Assert.Equal(defaults.Coordinator.MaxPendingHandshakes, fromFile.Coordinator.MaxPendingHandshakes);
        Assert.Equal(defaults.Coordinator.MaxConnectionsPerAddress, fromFile.Coordinator.MaxConnectionsPerAddress);
        Assert.Equal(defaults.Coordinator.HostReservePercent, fromFile.Coordinator.HostReservePercent);
        Assert.Equal(defaults.Coordinator.ClientIdleTimeoutMs, fromFile.Coordinator.ClientIdleTimeoutMs);
        Assert.Equal(defaults.Coordinator.HostIdleTimeoutMs, fromFile.Coordinator.HostIdleTimeoutMs);
        Assert.Equal(defaults.Coordinator.DbProxyIdleTimeoutMs, fromFile.Coordinator.DbProxyIdleTimeoutMs);
        Assert.Equal(defaults.Cluster.ProbeTimeoutMs, fromFile.Cluster.ProbeTimeoutMs);
        Assert.Equal(defaults.Cluster.MaxProbeTimeoutMs, fromFile.Cluster.MaxProbeTimeoutMs);
        Assert.Equal(defaults.Distribution.FailoverGraceMs, fromFile.Distribution.FailoverGraceMs);
        Assert.Equal(defaults.Cluster.SiloPort, fromFile.Cluster.SiloPort);
        Assert.Equal(defaults.Http.Urls, fromFile.Http.Urls);
        Assert.Equal(defaults.Http.Metrics, fromFile.Http.Metrics);
        Assert.True(fromFile.Database.IsEmbedded);
    }

    [Fact]
    public void SnakeCaseKeysBind()
    {
        var s = Load(("coordinator:db_proxy_port", "6122"), ("cluster:silo_port", "12000"), ("security:encryption_enabled", "false"),
            ("cluster:num_votes_for_death_declaration", "2"));
        Assert.Equal(6122, s.Coordinator.DbProxyPort);
        Assert.Equal(12000, s.Cluster.SiloPort);
        Assert.False(s.Security.EncryptionEnabled);
        Assert.Equal(2, s.Cluster.NumVotesForDeathDeclaration);
    }

    [Fact]
    public void PortOutOfRangeNamesTheKey()
    {
        var e = Rejects(("coordinator:port", "70000"));
        Assert.Contains(e.Errors, m => m.StartsWith("coordinator.port = 70000") && m.Contains("65535"));
    }

    [Theory]
    [InlineData("db_proxy:max_stat", "0", "db_proxy.max_stat = 0")]
    [InlineData("db_proxy:max_zeny", "-5", "db_proxy.max_zeny = -5")]
    [InlineData("db_proxy:max_exp_gain_per_minute", "-1", "db_proxy.max_exp_gain_per_minute = -1")]
    [InlineData("maps:geffen:width", "5000", "maps.geffen.width = 5000")]
    public void DatabaseProxyBoundsOutOfRangeNameTheKey(string key, string value, string named)
    {
        var e = Rejects((key, value));
        Assert.Contains(e.Errors, m => m.StartsWith(named));
    }

    [Fact]
    public void DatabaseProxyDefaultsAreRathenasRenewalLimits()
    {
        var p = Load().DbProxy;
        Assert.Equal((275, 70, 130, 1_000_000_000), (p.MaxBaseLevel, p.MaxJobLevel, p.MaxStat, p.MaxZeny));
        Assert.Equal(300, Load(("maps:geffen:width", "300")).Maps["geffen"].Width);
    }

    [Theory]
    [InlineData("security:encryption_enabled", "maybe", "security.encryption_enabled")]
    [InlineData("cluster:silo_port", "eleven", "cluster.silo_port")]
    [InlineData("monitoring:metrics_interval", "5s", "monitoring.metrics_interval")]
    public void ValueOfTheWrongTypeNamesTheKey(string key, string value, string named)
    {
        var e = Rejects((key, value));
        Assert.Contains(e.Errors, m => m.StartsWith(named + ":") && m.Contains($"'{value}'"));
    }

    [Fact]
    public void UnknownKeyAndSectionAreRejected()
    {
        var e = Rejects(("coordinator:prot", "5121"), ("coordinatr:port", "5121"));
        Assert.Contains(e.Errors, m => m.StartsWith("coordinator.prot: unknown key") && m.Contains("port"));
        Assert.Contains(e.Errors, m => m.StartsWith("coordinatr: unknown section"));
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var e = Rejects(("coordinator:port", "0"), ("coordinator:max_connections", "-1"), ("security:key_rotation_interval", "1"));
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains("coordinator.port", e.Message);
        Assert.Contains("coordinator.max_connections", e.Message);
        Assert.Contains("security.key_rotation_interval", e.Message);
    }

    [Fact]
    public void PendingHandshakesDefaultFollowsTheCoresWithinMaxConnections()
    {
        var defaults = Load().Coordinator;
        Assert.Equal(0, defaults.MaxPendingHandshakes);
        Assert.Equal(Math.Min(1000, CoordinatorOptions.PendingHandshakesPerProcessor * Environment.ProcessorCount), defaults.EffectiveMaxPendingHandshakes);
        Assert.Equal(3, Load(("coordinator:max_connections", "3")).Coordinator.EffectiveMaxPendingHandshakes);
        Assert.Equal(7, Load(("coordinator:max_pending_handshakes", "7")).Coordinator.EffectiveMaxPendingHandshakes);
    }

    [Theory]
    [InlineData("-1", "1000", "between 0 and 1000000")]
    [InlineData("1001", "1000", "must not exceed coordinator.max_connections (1000)")]
    [InlineData("many", "1000", "is not a whole number")]
    public void BadPendingHandshakesNamesTheKey(string pending, string connections, string reason)
    {
        var e = Rejects(("coordinator:max_pending_handshakes", pending), ("coordinator:max_connections", connections));
        var error = Assert.Single(e.Errors);
        Assert.StartsWith("coordinator.max_pending_handshakes", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void ConnectionLimitsHaveTheirDefaultsAndFollowMaxConnections()
    {
        var defaults = Load().Coordinator;
        Assert.Equal(32, defaults.EffectiveMaxConnectionsPerAddress);
        Assert.Equal(100, defaults.HostReservedConnections);
        Assert.Equal(900, defaults.MaxClientConnections);
        Assert.Equal((60_000, 30_000, 60_000), (defaults.ClientIdleTimeoutMs, defaults.HostIdleTimeoutMs, defaults.DbProxyIdleTimeoutMs));
        var small = Load(("coordinator:max_connections", "3")).Coordinator;
        Assert.Equal(3, small.EffectiveMaxConnectionsPerAddress);
        Assert.Equal(3, small.MaxClientConnections); // 10 % of 3, rounded down: no reserve
        var reserved = Load(("coordinator:max_connections", "40"), ("coordinator:host_reserve_percent", "25")).Coordinator;
        Assert.Equal((10, 30), (reserved.HostReservedConnections, reserved.MaxClientConnections));
    }

    [Theory]
    [InlineData("coordinator:max_connections_per_address", "0", "between 1 and 1000000")]
    [InlineData("coordinator:host_reserve_percent", "91", "between 0 and 90 percent")]
    [InlineData("coordinator:host_reserve_percent", "-1", "between 0 and 90 percent")]
    [InlineData("coordinator:client_idle_timeout_ms", "999", "between 1000 and 3600000 milliseconds")]
    [InlineData("coordinator:host_idle_timeout_ms", "3600001", "between 1000 and 3600000 milliseconds")]
    [InlineData("coordinator:db_proxy_idle_timeout_ms", "soon", "is not a whole number")]
    public void BadConnectionLimitNamesTheKey(string key, string value, string reason)
    {
        var error = Assert.Single(Rejects((key, value)).Errors);
        Assert.StartsWith(key.Replace(':', '.'), error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void CollidingPortsAreRejected()
    {
        var e = Rejects(("coordinator:port", "8080"));
        Assert.Contains(e.Errors, m => m.Contains("coordinator.port") && m.Contains("http.urls") && m.Contains("8080"));
    }

    [Theory]
    [InlineData("Server=;Database=x", "names no Server")]
    [InlineData("Server=db;User ID=x", "names no Database")]
    [InlineData("Sorver=db;Database=x", "not a valid MySQL connection string")]
    public void BadConnectionStringNamesTheKey(string connectionString, string reason)
    {
        var e = Rejects(("database:connection_string", connectionString));
        Assert.Contains(e.Errors, m => m.StartsWith("database.connection_string") && m.Contains(reason));
    }

    [Fact]
    public void RedactedConnectionStringHidesThePassword()
    {
        var options = new DatabaseOptions { ConnectionString = "Server=db;Database=ragnarok;User ID=p2p;Password=hunter2" };
        Assert.DoesNotContain("hunter2", options.Redacted());
        Assert.DoesNotContain("hunter2", Database.Describe(options));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:8080")]
    [InlineData("127.0.0.1:8080")]
    public void BadHttpUrlIsRejected(string url)
    {
        var e = Rejects(("http:urls", url));
        Assert.Contains(e.Errors, m => m.StartsWith("http.urls"));
    }

    [Fact]
    public void MetricsSwitchIsABoolean()
    {
        Assert.False(Load(("http:metrics", "false")).Http.Metrics);
        var e = Rejects(("http:metrics", "maybe"));
        Assert.Contains(e.Errors, m => m.StartsWith("http.metrics"));
    }

    [Fact]
    public void AdvertisedAddressMustBeAnIp()
    {
        var e = Rejects(("cluster:advertised_address", "silo-1.example"));
        Assert.Contains(e.Errors, m => m.StartsWith("cluster.advertised_address"));
        Assert.Equal("10.0.0.5", Load(("cluster:advertised_address", "10.0.0.5")).Cluster.AdvertisedAddress);
    }

    [Fact]
    public void BindAddressMustBeAnIpAndDefaultsToTheAdvertisedAddress()
    {
        var e = Rejects(("cluster:bind_address", "everywhere"));
        Assert.Contains(e.Errors, m => m.StartsWith("cluster.bind_address"));
        Assert.Equal("", Load().Cluster.BindAddress);
        Assert.Equal("0.0.0.0", Load(("cluster:bind_address", "0.0.0.0")).Cluster.BindAddress);
    }

    [Theory]
    [InlineData("cluster:cluster_id", "has space")]
    [InlineData("cluster:service_id", "")]
    public void BadIdsAreRejected(string key, string value)
    {
        var e = Rejects((key, value));
        Assert.Contains(e.Errors, m => m.StartsWith(key.Replace(':', '.')));
    }

    [Fact]
    public void MapsAreReadWithTheirPolicies()
    {
        var s = Load(("maps:prontera:critical", "true"), ("maps:prontera:max_players", "300"), ("maps:geffen:min_score", "40.5"));
        Assert.True(s.Maps["prontera"].Critical);
        Assert.Equal(300, s.Maps["prontera"].MaxPlayers);
        Assert.Equal(40.5, s.Maps["geffen"].MinScore);
        Assert.True(s.Maps["geffen"].P2PAllowed);
    }

    [Fact]
    public void BadMapEntriesNameTheKey()
    {
        var e = Rejects(("maps:this_name_is_long:critical", "true"), ("maps:geffen:max_players", "0"), ("maps:payon:vps_only", "true"));
        Assert.Contains(e.Errors, m => m.StartsWith("maps.this_name_is_long: invalid name"));
        Assert.Contains(e.Errors, m => m.StartsWith("maps.geffen.max_players = 0"));
        Assert.Contains(e.Errors, m => m.StartsWith("maps.payon.vps_only: unknown key"));
    }

    [Fact]
    public void MaxProbeTimeoutBindsAndMayNotBeBelowTheProbeTimeout()
    {
        Assert.Equal(1500, Load().Cluster.MaxProbeTimeoutMs);
        Assert.Equal(4000, Load(("cluster:max_probe_timeout_ms", "4000")).Cluster.MaxProbeTimeoutMs);
        var e = Rejects(("cluster:probe_timeout_ms", "2000"), ("cluster:max_probe_timeout_ms", "1500"));
        Assert.Contains(e.Errors, m => m.StartsWith("cluster.max_probe_timeout_ms") && m.Contains("at least cluster.probe_timeout_ms"));
        Assert.Contains(Rejects(("cluster:max_probe_timeout_ms", "50")).Errors, m => m.StartsWith("cluster.max_probe_timeout_ms = 50"));
    }

    [Fact]
    public void FailoverGraceBindsAndIsValidated()
    {
        Assert.Equal(15_000, Load().Distribution.FailoverGraceMs);
        Assert.Equal(4000, Load(("distribution:failover_grace_ms", "4000")).Distribution.FailoverGraceMs);
        Assert.Contains(Rejects(("distribution:failover_grace_ms", "-1")).Errors, m => m.StartsWith("distribution.failover_grace_ms = -1"));
    }

    [Fact]
    public void DistributionTimingIsValidated()
    {
        Assert.Equal(3000, Load().Distribution.HeartbeatTimeoutMs);
        var e = Rejects(("distribution:heartbeat_timeout_ms", "10"));
        Assert.Contains(e.Errors, m => m.StartsWith("distribution.heartbeat_timeout_ms = 10"));
    }
}
