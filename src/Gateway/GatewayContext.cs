using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>What every gateway connection shares: the cluster, the coordinator key, limits and metrics.</summary>
public sealed class GatewayContext(
    IGrainFactory grains,
    CoordinatorKeyRing coordinatorKeys,
    IOptions<CoordinatorOptions> coordinator,
    IOptions<SecurityOptions> security,
    IOptions<AccountsSettings> accounts,
    GatewayMetrics metrics,
    ConnectionLimiter limiter,
    HandshakeAdmission handshakes,
    HostSessions hostSessions,
    TimeProvider time,
    ILogger<GatewaySession> logger)
{
    private long _nextSessionId = Random.Shared.NextInt64();
    private IGatewayProbeGrain? _probe;

    public IGrainFactory Grains { get; } = grains;

    /// <summary>
    /// The stateless probe grain answering PINGs sent through the cluster; one reference for every connection.
    /// Resolved on first use: a stand-alone gateway learns the grain types only once it has reached the cluster.
    /// </summary>
    public IGatewayProbeGrain Probe => _probe ??= Grains.GetGrain<IGatewayProbeGrain>(0);
    /// <summary>
    /// Host grain references for players' latency reports (<see cref="GrainRefs{TKey, TGrain}"/>), one set for every
    /// connection: the players of a cluster measure the same hosts.
    /// </summary>
    public GrainRefs<string, IHostGrain> Hosts { get; } = new(MaxHostsKept, hostId => grains.GetGrain<IHostGrain>(hostId));

    /// <summary>Host references kept: more hosts than a cluster is sized for (docs/benchmarks.md runs 10,000 agents).</summary>
    public const int MaxHostsKept = 16_384;

    /// <summary>The key set's active key now: read once per handshake and per ticket, so a rollover needs no reconnect.</summary>
    public SigningIdentity CoordinatorKey => Keys.Current;

    /// <summary>The key set this gateway signs from; host sessions announce it (KEY_SET).</summary>
    public CoordinatorKeyRing Keys { get; } = coordinatorKeys;
    public CoordinatorOptions Coordinator { get; } = coordinator.Value;
    public SecurityOptions Security { get; } = security.Value;
    public AccountsSettings Accounts { get; } = accounts.Value;
    public GatewayMetrics Metrics { get; } = metrics;
    public ConnectionLimiter Limiter { get; } = limiter;
    public HandshakeAdmission Handshakes { get; } = handshakes;

    /// <summary>Which session holds each host key at this gateway (a newer connection replaces an older one).</summary>
    public HostSessions HostSessions { get; } = hostSessions;
    public TimeProvider Time { get; } = time;
    public ILogger<GatewaySession> Logger { get; } = logger;

    /// <summary>How often a host connection re-registers with its grain, which may have moved to another silo.</summary>
    public TimeSpan ReattachInterval { get; init; } = TimeSpan.FromSeconds(5);

    public ulong NextSessionId() => (ulong)Interlocked.Increment(ref _nextSessionId);
}
