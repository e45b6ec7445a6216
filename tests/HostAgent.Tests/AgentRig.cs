using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.HostAgent.Maps;
using P2PCluster.HostAgent.Metrics;
using P2PCluster.Protocol;
using System.Net;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// The agent as <see cref="HostAgentSetup"/> composes it (coordinator link, map host, metric sampler), in this process
/// with its own key file, fast timings and a private port range, so a test can start and stop it and read its log.
/// </summary>
public sealed class AgentRig : IAsyncDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-agent-");
    private readonly MetricsSampler _sampler;
    private bool _stopped;

    public AgentRig(LogCollector log, string endpoints, string publicKey, AgentTimings? timings = null, params (string Key, string Value)[] extra)
    {
        var (start, end) = TestPorts.Range(4);
        PortRangeStart = start;
        (string Key, string Value)[] defaults =
        [
            ("coordinator:endpoints", endpoints), ("coordinator:public_key", publicKey), ("coordinator:heartbeat_interval_ms", "100"),
            // Nothing listens there unless a test says otherwise: never a proxy another test or run left on the default port.
            ("coordinator:db_proxy_port", TestSupport.FreePort.Next().ToString()),
            ("identity:key_file", Path.Combine(_dir.FullName, "host.pem")), ("maps:port_range_start", start.ToString()),
            ("maps:port_range_end", end.ToString()), ("maps:bind_address", "127.0.0.1"), ("node:max_maps", "3"), ("node:update_interval", "20"),
        ];
        Settings = Config.Settings([.. defaults.Where(d => extra.All(e => e.Key != d.Key)), .. extra]);
        Identity = HostIdentity.LoadOrCreate(Settings.Identity.KeyFile);
        _sampler = new MetricsSampler(new ProcMetrics(),
            Settings.Resources.MetricsFile.Length > 0 ? new MetricsFileOverride(Settings.Resources.MetricsFile) : null,
            TimeSpan.FromMilliseconds(Settings.Node.UpdateInterval), TimeSpan.FromMilliseconds(Settings.Coordinator.HeartbeatIntervalMs),
            TimeProvider.System, log.For<MetricsSampler>());
        timings ??= Fast;
        var coordinatorKey = PinnedCoordinatorKey.Load(Settings.Coordinator).Key;
        Claims = new CoordinatorTicketClaimer(timings.ClaimTimeout, TimeProvider.System, log.For<CoordinatorTicketClaimer>());
        Trust = new CoordinatorTrust(coordinatorKey, CoordinatorTrust.FileBeside(Settings.Identity.KeyFile), TimeProvider.System, log.For<CoordinatorTrust>());
        Database = new DbProxyClient(HostConnectionOptions.Create(Settings, Identity, Trust, timings), timings, TimeProvider.System,
            log.For<DbProxyClient>());
        Lease = new CoordinatorLease(TimeSpan.FromMilliseconds(Settings.Coordinator.LeaseMs), TimeProvider.System);
        Admission = new PlayerAdmission(Trust.Attach(new TicketVerifier([coordinatorKey], Identity.HostId)), Claims, new AdmissionMetrics()) { Database = Database, Lease = Lease };
        Maps = new MapHost(new MapInstanceFactory(Settings.Maps, Admission, log.Factory),
            new PortAllocator(IPAddress.Loopback, start, end), Settings.Node.MaxMaps, Settings.Node.MaxPlayers, log.For<MapHost>());
        Agent = new AgentService(Settings, Identity, Trust, Maps, Lease, Claims, Database, _sampler, timings, TimeProvider.System, log.For<AgentService>());
    }

    public static AgentTimings Fast { get; } = new()
    {
        InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
    };

    public HostNodeSettings Settings { get; }
    public HostIdentity Identity { get; }

    /// <summary>The coordinator keys the agent trusts (pinned, then learned from KEY_SET).</summary>
    public CoordinatorTrust Trust { get; }
    public MapHost Maps { get; }
    public CoordinatorTicketClaimer Claims { get; }
    public DbProxyClient Database { get; }
    public PlayerAdmission Admission { get; }
    public CoordinatorLease Lease { get; }
    public AgentService Agent { get; }
    public int PortRangeStart { get; }

    public async Task StartAsync()
    {
        await _sampler.StartAsync(CancellationToken.None);
        await Agent.StartAsync(CancellationToken.None);
    }

    /// <summary>What SIGTERM does in the process: the host stops the agent, then the sampler.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Agent.StopAsync(timeout.Token);
        await _sampler.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Agent.Dispose();
        _sampler.Dispose();
        Identity.Key.Dispose();
        _dir.Delete(recursive: true);
    }
}
