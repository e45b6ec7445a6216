using Microsoft.Extensions.Configuration;
using P2PCluster.Grains.Interfaces;
using P2PCluster.HostAgent;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Demo;

/// <summary>
/// <c>p2p-demo</c>: real host agents in this process (one VPS, three P2P), connecting over the gateway port with the
/// real protocol, so a newcomer sees placement happen — and, a little later, failover: one P2P agent stops, its
/// maps move, it comes back. Watch the log and the dashboard. On shutdown every agent says BYE before the gateway
/// closes (after <see cref="DemoPlayers"/> have left, which are registered after this and so stop first).
/// </summary>
public sealed partial class DemoAgents(
    CoordinatorSettings settings, SigningIdentity coordinatorKey, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<DemoAgents> logger)
    : DemoService(lifetime)
{
    private static readonly string[] Kinds = ["vps", "p2p", "p2p", "p2p"];

    protected override void OnStopped() => LogStopped(logger);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var agents = new IHost?[Kinds.Length];
        try
        {
            // The P2P agents first, and the VPS agent once they are online: configured maps are placed as soon as an
            // eligible host registers, and a map placed on the VPS host stays there (the cluster does not move maps
            // back to P2P on its own), so a VPS agent that registered first on a busy machine would take every map and
            // the demo would show no P2P hosting at all.
            for (int i = 1; i < Kinds.Length; i++) agents[i] = await StartAgentAsync(i, stoppingToken);
            await WaitOnlineAsync([.. agents.Skip(1).Select(a => a!.Services.GetRequiredService<HostIdentity>().HostId)], stoppingToken);
            agents[0] = await StartAgentAsync(0, stoppingToken);
            LogStarted(logger, Kinds.Length);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
                LogStopping(logger, 1);
                await agents[1]!.StopAsync(stoppingToken);
                agents[1]!.Dispose();
                agents[1] = null;
                await Task.Delay(TimeSpan.FromSeconds(20), stoppingToken);
                LogRestarting(logger, 1);
                agents[1] = await StartAgentAsync(1, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // All at once: each says BYE, so the coordinator moves its maps at once rather than after a timeout.
            var running = agents.OfType<IHost>().ToList();
            await Task.WhenAll(running.Select(agent => agent.StopAsync(CancellationToken.None)));
            foreach (var agent in running) agent.Dispose();
        }
    }

    /// <summary>Waits (at most 30 s, then goes on: the demo still runs, only with maps on VPS) until these hosts are online.</summary>
    private async Task WaitOnlineAsync(IReadOnlyList<string> hostIds, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            var infos = await Task.WhenAll(hostIds.Select(id => grains.GetGrain<IHostGrain>(id).GetAsync()));
            if (infos.All(info => info.Status == HostStatus.Online)) return;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        LogNotOnline(logger, hostIds.Count);
    }

    private string AgentDir => Path.GetFullPath(Path.Combine(settings.Security.DataDir, "demo"));

    private async Task<IHost> StartAgentAsync(int index, CancellationToken cancellationToken)
    {
        string dir = AgentDir;
        int ports = 6200 + index * 10;
        // All demo agents share this machine: its real load would count four times (and a busy laptop would look
        // overloaded to every one of them), so each reports a fixed light load of its own.
        Directory.CreateDirectory(dir);
        string metrics = Path.Combine(dir, $"agent{index}.metrics");
        File.WriteAllText(metrics, $"cpu={15 + 10 * index}\nmemory={30 + 5 * index}\nnetwork={1 + index}\n");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["coordinator:endpoints"] = $"127.0.0.1:{settings.Coordinator.Port}",
            // Players' progress is saved through this silo's database proxy, as on a real host.
            ["coordinator:db_proxy_port"] = settings.Coordinator.DbProxyPort.ToString(),
            ["coordinator:public_key"] = Convert.ToHexString(coordinatorKey.PublicKey),
            ["coordinator:require_encryption"] = settings.Security.EncryptionEnabled ? "true" : "false",
            ["identity:kind"] = Kinds[index],
            ["identity:key_file"] = Path.Combine(dir, $"agent{index}.pem"),
            ["maps:port_range_start"] = ports.ToString(),
            ["maps:port_range_end"] = (ports + 9).ToString(),
            ["maps:bind_address"] = "127.0.0.1",
            ["resources:metrics_file"] = metrics,
        }).Build();
        var agentSettings = HostNodeSettings.Load(configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IHostLifetime, DemoAgentLifetime>();
        builder.Logging.AddP2PLogging();
        builder.Services.AddHostAgent(agentSettings, HostIdentity.LoadOrCreate(agentSettings.Identity.KeyFile), coordinatorKey.PublicKey);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "DEMO: started {Count} in-process host agents (1 VPS, 3 P2P); maps will be placed on them")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "DEMO: stopping P2P agent #{Index} to show failover: its maps move to other hosts")]
    private static partial void LogStopping(ILogger logger, int index);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "DEMO: restarting P2P agent #{Index}")]
    private static partial void LogRestarting(ILogger logger, int index);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "DEMO: the {Count} P2P agents were not all online after 30 s; starting the VPS agent anyway, which may take the maps")]
    private static partial void LogNotOnline(ILogger logger, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "DEMO: agents stopped (each said BYE)")]
    private static partial void LogStopped(ILogger logger);
}
