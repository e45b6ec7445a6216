using System.Diagnostics;
using Xunit.Abstractions;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// The coordinator as deploy/systemd/p2p-coordinator.service runs it — installed layout, <c>--config</c> in etc, the
/// state folder as working directory, <c>Type=notify</c> — tells systemd it is ready only when it can serve, and that
/// it is stopping on SIGTERM.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class SiloReadinessTests(InstallPrefix install, ITestOutputHelper output)
{
    [Fact]
    public async Task ReadyOnlyOnceEveryListenerAnswersThenStoppingOnSigtermAndExitZero()
    {
        var ports = CoordinatorPorts.Next();
        using var notify = new NotifySocket();
        var started = Stopwatch.StartNew();
        await using var service = await ports.StartAsync(install, notify);

        await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(60), service.Exited, () => service.Output);
        var ready = started.Elapsed;
        // At the moment READY=1 arrived: the gateway, the database proxy, the silo's cluster ports and http all answer.
        var answers = new Dictionary<string, bool>
        {
            [$"gateway {ports.Gateway}"] = await Probe.AcceptsAsync(ports.Gateway),
            [$"database proxy {ports.DbProxy}"] = await Probe.AcceptsAsync(ports.DbProxy),
            [$"silo {ports.Silo}"] = await Probe.AcceptsAsync(ports.Silo),
            [$"cluster gateway {ports.ClusterGateway}"] = await Probe.AcceptsAsync(ports.ClusterGateway),
        };
        string health = await Probe.GetAsync($"{ports.HttpUrl}/healthz");
        Assert.True(answers.Values.All(a => a) && health == "ok",
            $"at READY=1: {string.Join(", ", answers.Select(a => $"{a.Key} {(a.Value ? "answers" : "REFUSED")}"))}, /healthz: {health}\n{service.Output}");
        output.WriteLine($"installed silo (embedded default): READY=1 {ready.TotalSeconds:F2} s after start (publish took {install.PublishTime.TotalSeconds:F1} s)");

        // Relative paths of the shipped p2p.conf (security.data_dir: data) land in the state folder.
        Assert.True(File.Exists(Path.Combine(install.State, "data", "admin_api.key")), $"no data/admin_api.key under {install.State}:\n{service.Output}");

        service.Terminate();
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(30), service.Exited, () => service.Output);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var order = notify.Received.Select(r => r.Assignment).Where(a => a is "READY=1" or "STOPPING=1").ToList();
        Assert.Equal(["READY=1", "STOPPING=1"], order);
    }
}
