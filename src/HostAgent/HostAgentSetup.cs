using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.HostAgent.Maps;
using P2PCluster.HostAgent.Metrics;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent;

/// <summary>Registers the agent: metric sampling (and the metrics endpoint when <c>metrics.listen</c> is set), the map instances with their player admission, the coordinator link and the database proxy connection.</summary>
public static class HostAgentSetup
{
    public static IServiceCollection AddHostAgent(this IServiceCollection services, HostNodeSettings settings, HostIdentity identity,
        byte[] coordinatorKey, AgentTimings? timings = null)
    {
        services.AddSingleton(settings);
        services.AddSingleton(identity);
        services.AddSingleton(timings ?? new AgentTimings());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentCounters>();
        services.AddSingleton<AdmissionMetrics>();
        services.AddSingleton(sp => new CoordinatorTrust(coordinatorKey, CoordinatorTrust.FileBeside(identity.KeyFile),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CoordinatorTrust>>()));
        services.AddSingleton(sp => new MetricsSampler(
            MachineCounters.ForThisSystem(),
            settings.Resources.MetricsFile.Length > 0 ? new MetricsFileOverride(settings.Resources.MetricsFile) : null,
            TimeSpan.FromMilliseconds(settings.Node.UpdateInterval),
            TimeSpan.FromMilliseconds(settings.Coordinator.HeartbeatIntervalMs),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MetricsSampler>>()));
        services.AddSingleton(sp => new CoordinatorTicketClaimer(sp.GetRequiredService<AgentTimings>().ClaimTimeout,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CoordinatorTicketClaimer>>()));
        services.AddSingleton(sp => new DbProxyClient(
            HostConnectionOptions.Create(settings, identity, sp.GetRequiredService<CoordinatorTrust>(), sp.GetRequiredService<AgentTimings>()),
            sp.GetRequiredService<AgentTimings>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DbProxyClient>>())
        {
            Counters = sp.GetRequiredService<AgentCounters>(),
        });
        services.AddSingleton(sp => new CoordinatorLease(TimeSpan.FromMilliseconds(settings.Coordinator.LeaseMs), sp.GetRequiredService<TimeProvider>()));
        // One verifier for the whole agent: its replay memory must span every map instance.
        services.AddSingleton(sp => new PlayerAdmission(
            sp.GetRequiredService<CoordinatorTrust>().Attach(new TicketVerifier([coordinatorKey], identity.HostId, sp.GetRequiredService<TimeProvider>())),
            sp.GetRequiredService<CoordinatorTicketClaimer>(),
            sp.GetRequiredService<AdmissionMetrics>()) { Database = sp.GetRequiredService<DbProxyClient>(), Lease = sp.GetRequiredService<CoordinatorLease>() });
        services.AddSingleton(sp => new MapHost(
            new MapInstanceFactory(settings.Maps, sp.GetRequiredService<PlayerAdmission>(), sp.GetRequiredService<ILoggerFactory>()),
            new PortAllocator(IPAddress.Parse(settings.Maps.BindAddress), settings.Maps.PortRangeStart, settings.Maps.PortRangeEnd),
            settings.Node.MaxMaps,
            settings.Node.MaxPlayers,
            sp.GetRequiredService<ILogger<MapHost>>()));
        services.AddSingleton(sp => new AgentService(settings, identity, sp.GetRequiredService<CoordinatorTrust>(), sp.GetRequiredService<MapHost>(), sp.GetRequiredService<CoordinatorLease>(),
            sp.GetRequiredService<CoordinatorTicketClaimer>(), sp.GetRequiredService<DbProxyClient>(), sp.GetRequiredService<MetricsSampler>(),
            sp.GetRequiredService<AgentTimings>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentService>>())
        {
            Counters = sp.GetRequiredService<AgentCounters>(),
            Status = new LinkStatus(sp.GetService<ISystemdNotifier>()),
        });
        services.AddAgentMetrics(settings.Metrics);
        // Sampling starts first so the first heartbeat already carries a measurement.
        services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());
        services.AddHostedService(sp => sp.GetRequiredService<AgentService>());
        return services;
    }
}
