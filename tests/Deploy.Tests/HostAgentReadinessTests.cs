using P2PCluster.TestSupport;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// The host agent as deploy/systemd/p2p-host-agent.service runs it, against the installed coordinator: READY=1 once
/// it can work (configuration valid, host key loaded, metrics endpoint listening, link started; the coordinator's
/// WELCOME comes after, and again after every reconnect), STOPPING=1 on SIGTERM, exit 0. Both share the state folder,
/// so the agent pins the key the embedded-default coordinator wrote there, through the shipped host_node.conf's
/// relative path.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class HostAgentReadinessTests(InstallPrefix install)
{
    [Fact]
    public async Task ReadyWithMetricsListeningThenRegistersAndStopsOnSigterm()
    {
        var ports = CoordinatorPorts.Next();
        using var coordinatorNotify = new NotifySocket();
        await using var coordinator = await ports.StartAsync(install, coordinatorNotify);
        await coordinatorNotify.WaitForAsync("READY=1", TimeSpan.FromSeconds(60), coordinator.Exited, () => coordinator.Output);

        int metrics = FreePort.Next(), map = FreePort.Next();
        using var notify = new NotifySocket();
        await using var agent = await ServiceProcess.StartAsync(install.Executable("p2p-host-agent"),
            ["--config", Path.Combine(install.Config, "host_node.conf")], install.State, notify.Path, new Dictionary<string, string>
            {
                ["P2P_coordinator__endpoints"] = $"127.0.0.1:{ports.Gateway}",
                ["P2P_coordinator__db_proxy_port"] = ports.DbProxy.ToString(),
                ["P2P_metrics__listen"] = $"127.0.0.1:{metrics}",
                ["P2P_maps__port_range_start"] = map.ToString(),
                ["P2P_maps__port_range_end"] = map.ToString(),
                ["P2P_maps__bind_address"] = "127.0.0.1",
                ["P2P_node__max_maps"] = "1",
            });

        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(30), agent.Exited, () => agent.Output);
        string scrape = await Probe.GetAsync($"http://127.0.0.1:{metrics}/metrics");
        Assert.True(scrape.Contains("p2p_agent", StringComparison.Ordinal), $"at READY=1, GET /metrics: {scrape}\n{agent.Output}");
        Assert.True(File.Exists(Path.Combine(install.State, "data", "host_ed25519.pem")), $"no data/host_ed25519.pem under {install.State}:\n{agent.Output}");

        await agent.WaitForLineAsync("Connected to coordinator", TimeSpan.FromSeconds(30));

        agent.Terminate();
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(30), agent.Exited, () => agent.Output);
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        coordinator.Terminate();
        Assert.Equal(0, await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
