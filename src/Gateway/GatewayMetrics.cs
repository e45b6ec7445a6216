using System.Diagnostics.Metrics;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// Gateway counters on the <c>P2PCluster.Gateway</c> meter (exported by the metrics endpoint), plus in-process totals
/// per rejection reason for the admin API and tests.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "P2PCluster.Gateway";

    private readonly long[] _rejections = new long[Enum.GetValues<ProtocolError>().Max(e => (int)e) + 1];
    private readonly long[] _refusals = new long[Enum.GetValues<ConnectionLimit>().Length];
    private readonly Counter<long> _refused;
    private readonly Counter<long> _replaced;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _accepted;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _tickets;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _dbRequests;
    private long _activeCount;

    public GatewayMetrics(IMeterFactory meterFactory, HandshakeAdmission handshakes, ConnectionLimiter limiter)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("p2p.gateway.connections.clients", () => limiter.Clients,
            description: "Game-client and tool connections open now (limit: max_connections less coordinator.host_reserve_percent)");
        _refused = meter.CreateCounter<long>("p2p.gateway.refusals", description: "Connections turned away with ServerBusy, by the limit that was full");
        _replaced = meter.CreateCounter<long>("p2p.gateway.sessions_replaced", description: "Sessions closed because a newer connection identified with the same host key");
        meter.CreateObservableUpDownCounter("p2p.gateway.handshakes.pending", () => handshakes.Pending,
            description: "Handshakes between HELLO and WELCOME now (limit: coordinator.max_pending_handshakes)");
        meter.CreateObservableUpDownCounter("p2p.gateway.handshakes.waiting", () => handshakes.Waiting,
            description: "HELLOs waiting for a handshake slot now");
        _rejected = meter.CreateCounter<long>("p2p.gateway.rejections", description: "Connections closed for bad input or limits, by reason");
        _accepted = meter.CreateCounter<long>("p2p.gateway.connections", description: "Connections accepted");
        _active = meter.CreateUpDownCounter<long>("p2p.gateway.connections.active", description: "Connections open now");
        _frames = meter.CreateCounter<long>("p2p.gateway.frames", description: "Frames received");
        _loginFailures = meter.CreateCounter<long>("p2p.gateway.login_failures", description: "Player logins refused (wrong credentials or blocked account)");
        _tickets = meter.CreateCounter<long>("p2p.gateway.tickets", description: "Player tickets issued");
        _fallbacks = meter.CreateCounter<long>("p2p.gateway.fallbacks", description: "Players re-routed after reporting their host unreachable");
        _dbRequests = meter.CreateCounter<long>("p2p.db_proxy.requests", description: "Database proxy requests answered, by outcome (accepted or refused)");
    }

    public long ActiveConnections => Interlocked.Read(ref _activeCount);

    /// <summary>How many connections were rejected for <paramref name="reason"/> since start.</summary>
    public long Rejections(ProtocolError reason) =>
        (int)reason < _rejections.Length ? Interlocked.Read(ref _rejections[(int)reason]) : 0;

    public void Reject(ProtocolError reason)
    {
        if ((int)reason < _rejections.Length) Interlocked.Increment(ref _rejections[(int)reason]);
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
    }

    /// <summary>How many connections <paramref name="limit"/> turned away since start.</summary>
    public long Refusals(ConnectionLimit limit) => Interlocked.Read(ref _refusals[(int)limit]);

    /// <summary>Counts a ServerBusy refusal under the limit that caused it (the caller counts the rejection).</summary>
    public void Refuse(ConnectionLimit limit)
    {
        Interlocked.Increment(ref _refusals[(int)limit]);
        _refused.Add(1, new KeyValuePair<string, object?>("limit", limit.ToString()));
    }

    public void Replaced() => _replaced.Add(1);

    public void Opened()
    {
        Interlocked.Increment(ref _activeCount);
        _accepted.Add(1);
        _active.Add(1);
    }

    public void Closed()
    {
        Interlocked.Decrement(ref _activeCount);
        _active.Add(-1);
    }

    public void FramesReceived(long count) => _frames.Add(count);

    public void LoginFailed() => _loginFailures.Add(1);

    public void TicketIssued() => _tickets.Add(1);

    public void Fallback() => _fallbacks.Add(1);

    public void DbRequest(bool accepted) => _dbRequests.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));
}
