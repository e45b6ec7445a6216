using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// Gateway instruments on the <c>P2PCluster.Gateway</c> meter (exported by <see cref="MetricsEndpoint"/>; names in
/// docs/monitoring.md), plus in-process totals per rejection reason and refusal limit for the admin API and tests.
/// Every method is cheap enough for the hot path: no allocation (labels are cached strings), no lock.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "P2PCluster.Gateway";

    /// <summary>Histogram buckets in seconds: 100 µs (a heartbeat on an idle silo) to 10 s (a store timing out).</summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] LimitNames = Enum.GetNames<ConnectionLimit>();

    private readonly long[] _rejections = new long[Enum.GetValues<ProtocolError>().Max(e => (int)e) + 1];
    private readonly long[] _refusals = new long[Enum.GetValues<ConnectionLimit>().Length];
    private readonly Counter<long> _refused, _replaced, _rejected, _accepted, _frames, _fallbacks, _dbRequests;
    private readonly Counter<long> _ticketsIssued, _ticketsClaimed, _ticketsRefused, _logins, _saves;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _handshake, _heartbeat, _resolve, _save;
    private long _activeCount;

    /// <param name="exporters">Taken so that the exporter listens before the instruments exist: the zero series below are recorded, not dropped.</param>
    public GatewayMetrics(IMeterFactory meterFactory, HandshakeAdmission handshakes, ConnectionLimiter limiter, IEnumerable<MeterProvider> exporters)
    {
        _ = exporters.Count();
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("p2p.gateway.connections.clients", () => limiter.Clients, "{connection}",
            "Game-client and tool connections open now (limit: max_connections less coordinator.host_reserve_percent)");
        meter.CreateObservableUpDownCounter("p2p.gateway.handshakes.pending", () => handshakes.Pending, "{handshake}",
            "Handshakes between HELLO and WELCOME now (limit: coordinator.max_pending_handshakes)");
        meter.CreateObservableUpDownCounter("p2p.gateway.handshakes.waiting", () => handshakes.Waiting, "{handshake}",
            "HELLOs waiting for a handshake slot now");
        _accepted = meter.CreateCounter<long>("p2p.gateway.connections", "{connection}", "Connections accepted (gateway and database proxy ports)");
        _active = meter.CreateUpDownCounter<long>("p2p.gateway.connections.active", "{connection}", "Connections open now");
        _rejected = meter.CreateCounter<long>("p2p.gateway.rejections", "{connection}", "Connections closed for bad input or limits, by reason (the error's name)");
        _refused = meter.CreateCounter<long>("p2p.gateway.refusals", "{connection}", "Connections turned away with ServerBusy, by the limit that was full");
        _replaced = meter.CreateCounter<long>("p2p.gateway.sessions_replaced", "{session}", "Sessions closed because a newer connection identified with the same host key");
        _frames = meter.CreateCounter<long>("p2p.gateway.frames", "{frame}", "Frames received");
        _fallbacks = meter.CreateCounter<long>("p2p.gateway.fallbacks", "{route}", "Players re-routed after reporting their host unreachable");
        _ticketsIssued = meter.CreateCounter<long>("p2p.tickets.issued", "{ticket}", "Player tickets signed and sent");
        _ticketsClaimed = meter.CreateCounter<long>("p2p.tickets.claimed", "{ticket}", "Tickets hosts claimed successfully");
        _ticketsRefused = meter.CreateCounter<long>("p2p.tickets.refused", "{ticket}", "Ticket claims refused, by code (the error's name)");
        _logins = meter.CreateCounter<long>("p2p.logins", "{login}", "Player logins, by outcome (ok, failed: wrong credentials, blocked: account blocked)");
        _dbRequests = meter.CreateCounter<long>("p2p.db_proxy.requests", "{request}", "Database proxy requests answered, by outcome (accepted or refused)");
        _saves = meter.CreateCounter<long>("p2p.db_proxy.saves", "{save}", "Character saves through the database proxy, by outcome (acknowledged, refused) and code (the error's name)");
        _handshake = Duration(meter, "p2p.gateway.handshake.duration", "From HELLO received to WELCOME sent");
        _heartbeat = Duration(meter, "p2p.gateway.heartbeat.duration", "Handling of one HEARTBEAT: the host grain's call and the answers queued");
        _resolve = Duration(meter, "p2p.gateway.resolve.duration", "Handling of one RESOLVE: the ticket requested, signed and queued");
        _save = Duration(meter, "p2p.db_proxy.save.duration", "One DB_SAVE_CHAR: from its turn at the proxy to the session grain's decision");
        // Series that exist from the start, so a rate over them is 0 rather than absent (Prometheus' advice).
        foreach (var counter in (Counter<long>[])[_accepted, _replaced, _frames, _fallbacks, _ticketsIssued, _ticketsClaimed]) counter.Add(0);
        foreach (var outcome in Enum.GetValues<LoginOutcome>()) Login(outcome, 0);
        _saves.Add(0, new KeyValuePair<string, object?>("outcome", "acknowledged"), new KeyValuePair<string, object?>("code", ErrorLabels.Of(ProtocolError.None)));
    }

    private static Histogram<double> Duration(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>A timestamp for the duration methods (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    private static double Seconds(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    public long ActiveConnections => Interlocked.Read(ref _activeCount);

    /// <summary>How many connections were rejected for <paramref name="reason"/> since start.</summary>
    public long Rejections(ProtocolError reason) =>
        (int)reason < _rejections.Length ? Interlocked.Read(ref _rejections[(int)reason]) : 0;

    public void Reject(ProtocolError reason)
    {
        if ((int)reason < _rejections.Length) Interlocked.Increment(ref _rejections[(int)reason]);
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", ErrorLabels.Of(reason)));
    }

    /// <summary>How many connections <paramref name="limit"/> turned away since start.</summary>
    public long Refusals(ConnectionLimit limit) => Interlocked.Read(ref _refusals[(int)limit]);

    /// <summary>Counts a ServerBusy refusal under the limit that caused it (the caller counts the rejection).</summary>
    public void Refuse(ConnectionLimit limit)
    {
        Interlocked.Increment(ref _refusals[(int)limit]);
        _refused.Add(1, new KeyValuePair<string, object?>("limit", LimitNames[(int)limit]));
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

    public void FramesReceived(long count)
    {
        if (count > 0) _frames.Add(count);
    }

    /// <summary>A login's outcome: <c>ok</c>, <c>failed</c> (wrong credentials) or <c>blocked</c> (account blocked).</summary>
    public void Login(LoginOutcome outcome) => Login(outcome, 1);

    private void Login(LoginOutcome outcome, long count) => _logins.Add(count, new KeyValuePair<string, object?>("outcome", outcome switch
    {
        LoginOutcome.Ok => "ok",
        LoginOutcome.Failed => "failed",
        _ => "blocked",
    }));

    public void TicketIssued() => _ticketsIssued.Add(1);

    /// <summary>A CLAIM_TICKET answered: claimed when <paramref name="code"/> is None, else refused with it.</summary>
    public void TicketClaim(ProtocolError code)
    {
        if (code == ProtocolError.None) _ticketsClaimed.Add(1);
        else _ticketsRefused.Add(1, new KeyValuePair<string, object?>("code", ErrorLabels.Of(code)));
    }

    public void Fallback() => _fallbacks.Add(1);

    public void DbRequest(bool accepted) => _dbRequests.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));

    /// <summary>A DB_SAVE_CHAR decided (<paramref name="code"/> None: acknowledged), begun at <paramref name="started"/> (<see cref="Now"/>).</summary>
    public void DbSave(ProtocolError code, long started)
    {
        _save.Record(Seconds(started));
        var tags = new TagList
        {
            { "outcome", code == ProtocolError.None ? "acknowledged" : "refused" },
            { "code", ErrorLabels.Of(code) },
        };
        _saves.Add(1, tags);
    }

    public void HandshakeDone(long started) => _handshake.Record(Seconds(started));

    public void HeartbeatHandled(long started) => _heartbeat.Record(Seconds(started));

    public void ResolveHandled(long started) => _resolve.Record(Seconds(started));
}
