using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// The host agent as deploy/systemd/p2p-host-agent.service runs it (installed layout, host key created in the state
/// folder through the shipped host_node.conf's relative path): READY=1 once it can work — configuration valid, host
/// key loaded, metrics endpoint listening, link started — whether or not the coordinator answers yet; its
/// <c>STATUS=</c> line says whether it is registered; STOPPING=1 on SIGTERM, exit 0.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class HostAgentReadinessTests(InstallPrefix install)
{
    [Fact]
    public async Task ReadyBeforeTheCoordinatorAnswersStatusSaysWhenRegisteredThenExitZeroOnSigterm()
    {
        var ports = CoordinatorPorts.Next();
        string keyFolder = Directory.CreateTempSubdirectory("p2p-deploy-key-").FullName;
        string key = Path.Combine(keyFolder, "coordinator.pem");
        string publicKey;
        using (var identity = KeyFiles.CreatePrivate(key)) publicKey = Convert.ToHexString(identity.PublicKey);

        int metrics = FreePort.Next(), map = FreePort.Next();
        using var notify = new NotifySocket();
        await using var agent = await ServiceProcess.StartAsync(install.Executable("p2p-host-agent"),
            ["--config", Path.Combine(install.Config, "host_node.conf")], install.State, notify.Path, new Dictionary<string, string>
            {
                ["P2P_coordinator__endpoints"] = $"127.0.0.1:{ports.Gateway}",
                ["P2P_coordinator__db_proxy_port"] = ports.DbProxy.ToString(),
                ["P2P_coordinator__public_key"] = publicKey,
                ["P2P_metrics__listen"] = $"127.0.0.1:{metrics}",
                ["P2P_maps__port_range_start"] = map.ToString(),
                ["P2P_maps__port_range_end"] = map.ToString(),
                ["P2P_maps__bind_address"] = "127.0.0.1",
                ["P2P_node__max_maps"] = "1",
            });

        // No coordinator yet: the agent is ready all the same (it retries on its own), and says it is not connected.
        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(30), agent.Exited, () => agent.Output);
        string scrape = await Probe.GetAsync($"http://127.0.0.1:{metrics}/metrics");
        Assert.True(scrape.Contains("p2p_agent", StringComparison.Ordinal), $"at READY=1, GET /metrics: {scrape}\n{agent.Output}");
        Assert.True(File.Exists(Path.Combine(install.State, "data", "host_ed25519.pem")), $"no data/host_ed25519.pem under {install.State}:\n{agent.Output}");
        await notify.WaitForPrefixAsync($"STATUS=Not connected: 127.0.0.1:{ports.Gateway}: ", TimeSpan.FromSeconds(30), agent.Exited, () => agent.Output);

        using var coordinatorNotify = new NotifySocket();
        await using var coordinator = await ports.StartAsync(install, coordinatorNotify, new Dictionary<string, string>
        {
            ["P2P_security__coordinator_key_file"] = key,
            // A key set of its own: another test's coordinator may have seeded the shared state folder's with another key.
            ["P2P_security__data_dir"] = Path.Combine(keyFolder, "data"),
        });
        await coordinatorNotify.WaitForAsync("READY=1", TimeSpan.FromSeconds(60), coordinator.Exited, () => coordinator.Output);
        // The agent's reconnect backoff is at most 10 s.
        await notify.WaitForPrefixAsync($"STATUS=Connected to coordinator 127.0.0.1:{ports.Gateway} as host ", TimeSpan.FromSeconds(30), agent.Exited,
            () => agent.Output);

        agent.Terminate();
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(30), agent.Exited, () => agent.Output);
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        coordinator.Terminate();
        Assert.Equal(0, await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Directory.Delete(keyFolder, recursive: true);
    }
}
