namespace P2PCluster.Deploy.Tests;

/// <summary>
/// The stand-alone gateway as deploy/systemd/p2p-gateway.service runs it, in front of an installed coordinator with
/// <c>coordinator.hosted_gateway: false</c>: while no silo answers it keeps trying and says nothing to systemd;
/// READY=1 comes once it is connected to the cluster and its gateway, database proxy and http listeners answer;
/// STOPPING=1 on SIGTERM; exit 0.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class GatewayReadinessTests(InstallPrefix install)
{
    [Fact]
    public async Task NotReadyWithoutTheClusterThenReadyOnceConnectedAndListeningThenExitZeroOnSigterm()
    {
        var cluster = CoordinatorPorts.Next();
        // The gateway's own listeners; the cluster (static clustering on the embedded default) is the silo's.
        var own = CoordinatorPorts.Next() with { Silo = cluster.Silo, ClusterGateway = cluster.ClusterGateway };
        using var notify = new NotifySocket();
        await using var gateway = await own.StartAsync(install, notify, program: "p2p-gateway");
        // Orleans logs each failed attempt to reach the silo's gateway port: the gateway is up, the cluster is not.
        await gateway.WaitForLineAsync($"Connection attempt to endpoint S127.0.0.1:{cluster.ClusterGateway}", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(notify.Received, r => r.Assignment == "READY=1");

        using var siloNotify = new NotifySocket();
        await using var silo = await cluster.StartAsync(install, siloNotify, new Dictionary<string, string> { ["P2P_coordinator__hosted_gateway"] = "false" });
        await siloNotify.WaitForAsync("READY=1", TimeSpan.FromSeconds(60), silo.Exited, () => silo.Output);

        // The Orleans client retries on its own schedule (up to about 17 s apart): the deadline covers one retry.
        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(60), gateway.Exited, () => gateway.Output);
        bool listening = await Probe.AcceptsAsync(own.Gateway), proxy = await Probe.AcceptsAsync(own.DbProxy);
        string health = await Probe.GetAsync($"{own.HttpUrl}/healthz");
        Assert.True(listening && proxy && health == "ok", $"at READY=1: gateway {listening}, database proxy {proxy}, /healthz {health}\n{gateway.Output}");

        gateway.Terminate();
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(30), gateway.Exited, () => gateway.Output);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        silo.Terminate();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
