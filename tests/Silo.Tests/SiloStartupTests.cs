using Xunit.Abstractions;
using System.Net;
using System.Net.Sockets;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>The silo as a real process on the embedded default, and what it does with bad configuration.</summary>
public sealed class SiloStartupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> EmbeddedPorts(out int httpPort)
    {
        httpPort = FreePort.Next();
        return new()
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = $"http://127.0.0.1:{httpPort}",
        };
    }

    [Fact]
    public async Task EmbeddedDefaultServesTheDashboardAndLeavesOnSigterm()
    {
        var env = EmbeddedPorts(out int httpPort);
        await using var silo = ProgramProcess.Start("Silo", [], env);
        string started = await silo.WaitForLineAsync("Silo started", StartTimeout);
        output.WriteLine(started);
        Assert.Contains("NOT durable", silo.Output);

        using var http = new HttpClient();
        var dashboard = await http.GetAsync($"http://127.0.0.1:{httpPort}/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Orleans", await dashboard.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{httpPort}/healthz"));
        foreach (string path in (string[])["/metrics", "/p2p/metrics"])
            Assert.Contains("# TYPE ", await http.GetStringAsync($"http://127.0.0.1:{httpPort}{path}"));

        silo.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task MetricsOffServesNoMetricsButTheRestRuns()
    {
        var env = EmbeddedPorts(out int httpPort);
        env["P2P_http__metrics"] = "false";
        await using var silo = ProgramProcess.Start("Silo", [], env);
        await silo.WaitForLineAsync("Silo started", StartTimeout);

        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{httpPort}/healthz"));
        foreach (string path in (string[])["/metrics", "/p2p/metrics"])
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{httpPort}{path}")).StatusCode);
    }

    [Fact]
    public async Task DevelopmentAccountsAreLoadedAndABadFileStopsStartupNamingTheEntry()
    {
        var env = EmbeddedPorts(out _);
        env["P2P_accounts__dev_file"] = Path.Combine(RepoPaths.Root, "conf", "p2p", "dev_accounts.yaml");
        await using (var silo = ProgramProcess.Start("Silo", [], env))
        {
            await silo.WaitForLineAsync("Silo started", StartTimeout);
            Assert.Contains("dev_accounts.yaml (3 accounts, 3 characters; development only)", silo.Output);
        }

        string bad = Path.Combine(Directory.CreateTempSubdirectory("p2p-accounts-").FullName, "accounts.yaml");
        File.WriteAllLines(bad,
        [
            "accounts:",
            "  - account_id: 2000000",
            "    userid: ok-user",
            "    user_pass: pw",
            "    characters:",
            "      - char_id: 150000",
            "        name: Fine",
            "        last_map: \"this map name is far too long\"",
            "  - account_id: 2000009",
            "    userid: abc",
            "    user_pass: pw",
        ]);
        env["P2P_accounts__dev_file"] = bad;
        var refused = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        output.WriteLine(refused.Output);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("accounts[0].characters[0]: last_map must be 1–11 characters", refused.Output);
        Assert.Contains("accounts[1]: userid must be 4–23 characters", refused.Output);

        File.WriteAllText(bad, "accounts: [ {");
        refused = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"accounts.dev_file = {bad}: line", refused.Output);

        env["P2P_accounts__dev_file"] = "/nonexistent/accounts.yaml";
        await using (var silo = ProgramProcess.Start("Silo", [], env))
        {
            await silo.WaitForLineAsync("Silo started", StartTimeout);
            Assert.Contains("/nonexistent/accounts.yaml (accounts.dev_file) does not exist, so no player can log in", silo.Output);
        }
    }

    [Fact]
    public async Task EmbeddedDefaultGeneratesADevelopmentKeyOnce()
    {
        var env = EmbeddedPorts(out _);
        string keyFile;
        await using (var silo = ProgramProcess.Start("Silo", [], env))
        {
            await silo.WaitForLineAsync("Silo started", StartTimeout);
            Assert.Contains("generated a development coordinator key", silo.Output);
            keyFile = Path.Combine(silo.WorkingDirectory, "data", "coordinator_ed25519.pem");
            Assert.True(File.Exists(keyFile));
            Assert.True(File.Exists(Path.Combine(silo.WorkingDirectory, "data", "coordinator_ed25519.pub.pem")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public async Task StartLogSaysWhetherAlertsAreEvaluated()
    {
        var env = EmbeddedPorts(out _);
        await using (var on = ProgramProcess.Start("Silo", [], env))
        {
            await on.WaitForLineAsync("Silo started", StartTimeout);
            Assert.Contains("Alerts on: 7 rule(s) evaluated every 5000 ms, 0 webhook(s), history in memory (not durable)", on.Output);
        }
        env = EmbeddedPorts(out _);
        env["P2P_monitoring__alert_enabled"] = "false";
        await using var off = ProgramProcess.Start("Silo", [], env);
        await off.WaitForLineAsync("Silo started", StartTimeout);
        Assert.Contains("Alerts off (monitoring.alert_enabled = false)", off.Output);
        Assert.DoesNotContain("Alerts on", off.Output);
    }

    [Fact]
    public async Task DisabledEncryptionIsWarnedAboutLoudly()
    {
        var env = EmbeddedPorts(out _);
        env["P2P_security__encryption_enabled"] = "false";
        await using var silo = ProgramProcess.Start("Silo", [], env);
        await silo.WaitForLineAsync("Silo started", StartTimeout);
        Assert.Contains("NOT encrypted", silo.Output);
    }

    [Fact]
    public async Task UnreadableKeyFileStopsStartupNamingTheKey()
    {
        var env = EmbeddedPorts(out int httpPort);
        string dir = Directory.CreateTempSubdirectory("p2p-badkey-").FullName;
        string file = Path.Combine(dir, "coordinator.pem");
        File.WriteAllText(file, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite); // refused for what is in it, not its mode
        env["P2P_security__coordinator_key_file"] = file;
        var silo = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("security.coordinator_key_file", silo.Output);
        Assert.Contains("not an Ed25519 private key", silo.Output);
        env["P2P_security__coordinator_key_file"] = Path.Combine(dir, "missing.pem");
        silo = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("does not exist", silo.Output);
        AssertNothingListens(httpPort);
    }

    [Fact]
    public async Task GroupReadableKeyFileStopsStartupNamingFileAndMode()
    {
        var env = EmbeddedPorts(out int httpPort);
        string dir = Directory.CreateTempSubdirectory("p2p-openkey-").FullName;
        string file = Path.Combine(dir, "coordinator.pem");
        KeyFiles.CreatePrivate(file).Dispose();
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        env["P2P_security__coordinator_key_file"] = file;
        var silo = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"security.coordinator_key_file: {file}: mode 0640", silo.Output);
        AssertNothingListens(httpPort);
    }

    [Theory]
    [InlineData("P2P_security__key_rollover_ms", "10", "security.key_rollover_ms = 10")]
    [InlineData("P2P_security__key_grace_ms", "5000", "security.key_grace_ms: 5000 is shorter than accounts.ticket_lifetime_ms")]
    [InlineData("P2P_coordinator__port", "70000", "coordinator.port = 70000")]
    [InlineData("P2P_cluster__silo_port", "-1", "cluster.silo_port = -1")]
    [InlineData("P2P_security__encryption_enabled", "maybe", "security.encryption_enabled: 'maybe'")]
    [InlineData("P2P_coordinatr__port", "5121", "coordinatr: unknown section")]
    [InlineData("P2P_database__connection_string", "Sorver=x", "database.connection_string")]
    [InlineData("P2P_accounts__source", "sideways", "accounts.source: 'sideways'")]
    [InlineData("P2P_accounts__ticket_lifetime_ms", "100", "accounts.ticket_lifetime_ms = 100")]
    [InlineData("P2P_accounts__source", "database", "accounts.source = database: needs database.connection_string")]
    [InlineData("P2P_cluster__bind_address", "everywhere", "cluster.bind_address = 'everywhere': must be an IP address")]
    [InlineData("P2P_alerts__rules__vps_share__threshold", "150", "alerts.rules.vps_share.threshold = 150: must be between 0 and 100 percent")]
    [InlineData("P2P_alerts__rules__host_flap__enabled", "true", "alerts.rules.host_flap: unknown key")]
    [InlineData("P2P_alerts__webhooks", "ftp://ops.example.org/hook", "alerts.webhooks = ['ftp://ops.example.org/hook']: 'ftp://ops.example.org/hook' is not an http:// or https:// URL")]
    public async Task BadSettingStopsStartupNamingTheKey(string variable, string value, string expected)
    {
        var env = EmbeddedPorts(out int httpPort);
        env[variable] = value;
        var silo = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        output.WriteLine(silo.Output);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains(expected, silo.Output);
        Assert.DoesNotContain("Silo started", silo.Output);
        AssertNothingListens(httpPort);
    }

    [Fact]
    public async Task UnreachableDatabaseStopsStartupNamingTheServer()
    {
        var env = EmbeddedPorts(out int httpPort);
        using var key = new KeyFile();
        env["P2P_security__coordinator_key_file"] = key.Path;
        int deadPort = FreePort.Next();
        env["P2P_database__connection_string"] = $"Server=127.0.0.1;Port={deadPort};Database=ragnarok;User ID=p2p;Password=secret-pw";
        var silo = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        output.WriteLine(silo.Output);
        Assert.Equal(3, silo.ExitCode);
        Assert.Contains($"127.0.0.1:{deadPort}", silo.Output);
        Assert.DoesNotContain("secret-pw", silo.Output);
        AssertNothingListens(httpPort);
    }

    [Fact]
    public async Task MissingConfigFileIsReported()
    {
        var silo = await ProgramProcess.RunAsync("Silo", ["--config", "/nonexistent/p2p.conf"], null, StartTimeout);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("--config", silo.Output);
        Assert.Contains("/nonexistent/p2p.conf", silo.Output);
    }

    [Fact]
    public async Task ConfigFileIsReadAndEnvironmentOverridesIt()
    {
        var env = EmbeddedPorts(out int httpPort);
        string dir = Directory.CreateTempSubdirectory("p2p-conf-").FullName;
        string file = Path.Combine(dir, "p2p.conf");
        // The file asks for a port that is taken; the environment override must win.
        File.WriteAllText(file, $"cluster:\n  cluster_id: from-file\nhttp:\n  urls: \"http://127.0.0.1:1\"\n");
        await using var silo = ProgramProcess.Start("Silo", ["--config", file], env);
        string started = await silo.WaitForLineAsync("Silo started", StartTimeout);
        Assert.Contains("cluster from-file", started);
        Assert.Contains($"http://127.0.0.1:{httpPort}", started);
        Assert.Contains(file, started);
    }

    [Fact]
    public async Task InitDbWithoutDatabaseIsRefused()
    {
        var silo = await ProgramProcess.RunAsync("Silo", ["--init-db"], null, StartTimeout);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("database.connection_string", silo.Output);
    }

    [Fact]
    public async Task PortInUseFailsStartupCleanly()
    {
        var env = EmbeddedPorts(out int httpPort);
        using var squatter = new TcpListener(IPAddress.Loopback, httpPort);
        squatter.Start();
        var silo = await ProgramProcess.RunAsync("Silo", [], env, StartTimeout);
        output.WriteLine(silo.Output);
        Assert.Equal(1, silo.ExitCode);
        Assert.Contains("failed to start", silo.Output);
        Assert.DoesNotContain("Silo started", silo.Output);
    }

    private static void AssertNothingListens(int port)
    {
        using var client = new TcpClient();
        Assert.ThrowsAny<SocketException>(() => client.Connect(IPAddress.Loopback, port));
    }
}
