using System.Diagnostics;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// docs/deploy.md's production path from the installed layout: <c>p2p-coordinator --init-db</c> finds the schema the
/// release ships beside the program, then the silo runs as the least-privilege user of sql/grants.sql with its key
/// in etc/rathena/p2p/keys, and tells systemd it is ready only once it has joined the cluster on MariaDB and listens.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class SiloOnMariaDbReadinessTests(InstallPrefix install, MariaDbFixture db, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task InitDbFromTheInstallThenReadyOnMariaDbOnceListeningAndExitZeroOnSigterm()
    {
        string admin = await db.Server.CreateDatabaseAsync("deploy", applySchema: false);
        var ports = CoordinatorPorts.Next();
        using var initNotify = new NotifySocket();
        await using (var init = await ports.StartAsync(install, initNotify, new Dictionary<string, string> { ["P2P_database__connection_string"] = admin }, "p2p-coordinator", "--init-db"))
        {
            int code = await init.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0 && init.Output.Contains("schema ready", StringComparison.Ordinal), $"--init-db exited {code}:\n{init.Output}");
        }

        string keys = Path.Combine(install.Config, "keys");
        Directory.CreateDirectory(keys);
        string key = Path.Combine(keys, $"coordinator-{Guid.NewGuid():N}.pem");
        KeyFiles.CreatePrivate(key).Dispose();
        string connectionString = await db.Server.CreateLeastPrivilegeUserAsync(admin);
        using var notify = new NotifySocket();
        var started = Stopwatch.StartNew();
        await using var silo = await ports.StartAsync(install, notify, new Dictionary<string, string>
        {
            ["P2P_database__connection_string"] = connectionString,
            ["P2P_security__coordinator_key_file"] = key,
            ["P2P_cluster__cluster_id"] = "deploy" + Guid.NewGuid().ToString("N")[..8],
        });
        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(90), silo.Exited, () => silo.Output);
        var ready = started.Elapsed;
        bool gateway = await Probe.AcceptsAsync(ports.Gateway), siloPort = await Probe.AcceptsAsync(ports.Silo);
        string health = await Probe.GetAsync($"{ports.HttpUrl}/healthz");
        Assert.True(gateway && siloPort && health == "ok", $"at READY=1: gateway {gateway}, silo port {siloPort}, /healthz {health}\n{silo.Output}");
        output.WriteLine($"installed silo on MariaDB: READY=1 {ready.TotalSeconds:F2} s after start");

        silo.Terminate();
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(30), silo.Exited, () => silo.Output);
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
