using System.Buffers;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.HostAgent.Maps;
using P2PCluster.HostAgent.Metrics;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>
/// The agent's link to the coordinator: connects to the configured gateways in turn (exponential backoff with
/// jitter; slowly after an error the coordinator would only repeat), proves the host's key, sends HOST_CAPACITY,
/// then a HEARTBEAT every <c>coordinator.heartbeat_interval_ms</c> while it applies ASSIGN_MAP / REVOKE_MAP,
/// forwards MAP_STATE changes and carries the map instances' ticket claims (CLAIM_TICKET → CLAIM_RESULT, through
/// <paramref name="claims"/>). Once connected at a gateway it points <paramref name="database"/> at the database proxy
/// on the same host. Map instances outlive a dropped session. On shutdown it stops every instance, reports them
/// Stopped, closes the database proxy connection and says BYE.
/// </summary>
public sealed partial class AgentService(
    HostNodeSettings settings,
    HostIdentity identity,
    CoordinatorTrust trust,
    MapHost maps,
    CoordinatorLease lease,
    CoordinatorTicketClaimer claims,
    DbProxyClient database,
    MetricsSampler metrics,
    AgentTimings timings,
    TimeProvider time,
    ILogger<AgentService> logger) : BackgroundService
{
    private readonly TimeSpan _heartbeatInterval = TimeSpan.FromMilliseconds(settings.Coordinator.HeartbeatIntervalMs);
    private readonly TimeSpan _silenceTimeout = timings.SilenceTimeout
        ?? TimeSpan.FromMilliseconds(Math.Max(10_000, 10 * settings.Coordinator.HeartbeatIntervalMs));
    private static readonly TimeSpan ErrorGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>Where reconnects are counted (the metrics endpoint reads it).</summary>
    public AgentCounters Counters { get; init; } = new();

    /// <summary>Where the link's state is reported to systemd (<c>STATUS=</c>).</summary>
    public LinkStatus Status { get; init; } = LinkStatus.None;

    private readonly Backoff _backoff = new(timings.InitialReconnectDelay, timings.MaxReconnectDelay);
    private readonly CoordinatorLease _lease = lease;
    private CoordinatorConnection? _connection;
    private uint _sequence;
    private long _lastHeard;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (identity.Created) LogKeyCreated(logger, identity.KeyFile, identity.Protection, identity.HostId);
        else LogKeyLoaded(logger, identity.KeyFile, identity.HostId);
        LogStarting(logger, identity.HostId, settings.Identity.Kind.ToString().ToLowerInvariant(), settings.IdentifyEndpoint,
            string.Join(", ", settings.Coordinator.EndpointList));
        if (!settings.Coordinator.RequireEncryption) LogPlaintextAllowed(logger);
        var endpoints = new EndpointRotation(settings.Coordinator.EndpointList);
        var leaseWatch = WatchLeaseAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var endpoint = endpoints.Current;
                TimeSpan delay;
                CoordinatorConnection? connection = null;
                bool answered = false;
                try
                {
                    long attemptStarted = time.GetTimestamp();
                    connection = await ConnectAsync(endpoint, stoppingToken);
                    // WELCOME means the host grain registered the host, no earlier than this attempt began.
                    _lease.Registered(attemptStarted);
                    _connection = connection;
                    claims.Attach(connection);
                    LogConnected(logger, endpoint.ToString(), identity.HostId, connection.Welcome.SessionId,
                        connection.Encrypted ? "encrypted" : "NOT encrypted");
                    Status.Connected(endpoint.ToString(), identity.HostId);
                    // The proxy admits only a host the cluster counts as connected: that is now.
                    database.Connect(new CoordinatorEndpoint(endpoint.Host, settings.Coordinator.DbProxyPort));
                    await RunSessionAsync(connection, stoppingToken);
                    if (stoppingToken.IsCancellationRequested) break;
                    answered = true;
                    delay = _backoff.Next();
                    LogDisconnected(logger, endpoint.ToString(), "the coordinator closed the connection", (long)delay.TotalMilliseconds);
                    Status.Retrying(endpoint.ToString(), "the coordinator closed the connection", delay);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    bool permanent = CoordinatorFailure.IsPermanent(e);
                    // The gateway answered (e.g. Unavailable while the cluster re-forms): it is alive, so it is tried
                    // again rather than a silent one further down the list (bounded by EndpointRotation).
                    answered = e is ProtocolException { Code: not ProtocolError.Truncated } && !permanent;
                    delay = permanent ? timings.RetryAfterRefusal : _backoff.Next();
                    string reason = CoordinatorFailure.Describe(e, timings.HandshakeTimeout);
                    if (permanent) LogRefused(logger, endpoint.ToString(), reason, (long)delay.TotalSeconds);
                    else if (connection is not null) LogDisconnected(logger, endpoint.ToString(), reason, (long)delay.TotalMilliseconds);
                    else LogAttemptFailed(logger, endpoint.ToString(), reason, (long)delay.TotalMilliseconds);
                    Status.Retrying(endpoint.ToString(), reason, delay);
                }
                if (connection is not null)
                {
                    _connection = null;
                    claims.Detach(connection);
                    await connection.AbandonAsync(); // no BYE: the host is not leaving (see AbandonAsync)
                }
                endpoints.Next(answered);
                await Task.Delay(delay, time, stoppingToken);
                Counters.Reconnect();
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever was under way was cut short on purpose.
        }
        finally
        {
            await leaseWatch;
            await ShutdownAsync();
        }
    }

    private Task<CoordinatorConnection> ConnectAsync(CoordinatorEndpoint endpoint, CancellationToken stoppingToken) =>
        EndpointDialer.ConnectAsync(endpoint, HostConnectionOptions.Create(settings, identity, trust, timings), stoppingToken);

    /// <summary>Runs one session until it ends; returns normally when the coordinator closed it or we are stopping, throws why otherwise.</summary>
    private async Task RunSessionAsync(CoordinatorConnection connection, CancellationToken stoppingToken)
    {
        // Changes queued while no session was up are not sent: the first heartbeat says what runs now.
        while (maps.States.TryRead(out _)) { }
        var node = settings.Node;
        var resources = settings.Resources;
        await connection.SendAsync(new HostCapacityPacket((ushort)node.MaxMaps, (ushort)node.MaxPlayers, (byte)resources.CpuLimit,
            (byte)resources.MemoryLimit, (uint)resources.NetworkLimit), stoppingToken);
        Interlocked.Exchange(ref _lastHeard, time.GetTimestamp());

        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task[] loops = [ReceiveAsync(connection, session.Token), HeartbeatAsync(connection, session.Token), ForwardStatesAsync(connection, session.Token)];
        var first = await Task.WhenAny(loops);
        await session.CancelAsync();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (Exception)
        {
            // Only the first loop to end says why; the others merely saw the cancellation or the closed socket.
        }
        if (stoppingToken.IsCancellationRequested) return;

        var failure = first.Exception?.InnerException;
        if (failure is not ProtocolException { Code: not ProtocolError.Truncated })
        {
            // A send can fail on the closed socket before the connection has read the ERROR that explains why.
            await Task.WhenAny(connection.Completion, Task.Delay(ErrorGrace, time, CancellationToken.None));
            if (connection.Completion.Exception?.InnerException is ProtocolException serverError) failure = serverError;
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    private async Task ReceiveAsync(CoordinatorConnection connection, CancellationToken cancellationToken)
    {
        await foreach (var packet in connection.Incoming.ReadAllAsync(cancellationToken))
        {
            Interlocked.Exchange(ref _lastHeard, time.GetTimestamp());
            var body = new ReadOnlySequence<byte>(packet.Body);
            switch ((PacketId)packet.Id)
            {
                case PacketId.HeartbeatAck when HeartbeatAckPacket.TryRead(body, out var ack):
                    // Reset only once the coordinator has taken a heartbeat: a gateway that completes the handshake
                    // and then drops every session must not be redialled at the fastest rate forever.
                    _backoff.Reset();
                    _lease.Acknowledged(ack.Sequence);
                    break;
                case PacketId.AssignMap when AssignMapPacket.TryRead(body, out var assign) && !_lease.Valid:
                    // Not served without a lease; the heartbeat re-sends the assignment once acknowledged again.
                    LogAssignWithoutLease(logger, assign.Map, assign.Epoch, (long)_lease.ExpiredFor.TotalMilliseconds);
                    break;
                case PacketId.AssignMap when AssignMapPacket.TryRead(body, out var assign):
                    LogAssign(logger, assign.Map, assign.Epoch, assign.MaxPlayers);
                    await maps.AssignAsync(assign, cancellationToken);
                    break;
                case PacketId.RevokeMap when RevokeMapPacket.TryRead(body, out var revoke):
                    LogRevoke(logger, revoke.Map, revoke.Epoch, revoke.Reason.ToString());
                    maps.Revoke(revoke);
                    break;
                case PacketId.ClaimResult when ClaimResultPacket.TryRead(body, out var claimed):
                    if (!claims.Complete(claimed)) LogLateClaim(logger, claimed.RequestId, claimed.CharId, claimed.Code);
                    break;
                case PacketId.MoveResult when MoveResultPacket.TryRead(body, out var moved):
                    if (!claims.Complete(moved)) LogLateClaim(logger, moved.RequestId, moved.CharId, moved.Code);
                    break;
                case PacketId.HeartbeatAck or PacketId.AssignMap or PacketId.RevokeMap or PacketId.ClaimResult or PacketId.MoveResult:
                    string problem = $"malformed {(PacketId)packet.Id} body ({packet.Body.Length} bytes)";
                    await connection.SendAsync(new ErrorPacket(ProtocolError.Malformed, problem), cancellationToken);
                    throw new ProtocolException(ProtocolError.Malformed, problem);
                default:
                    LogUnexpected(logger, packet.Id);
                    break;
            }
        }
    }

    private async Task HeartbeatAsync(CoordinatorConnection connection, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_heartbeatInterval, time);
        do
        {
            if (time.GetElapsedTime(Interlocked.Read(ref _lastHeard)) > _silenceTimeout)
                throw new TimeoutException($"nothing from the coordinator (no HEARTBEAT_ACK) for {_silenceTimeout.TotalSeconds:0.#} s");
            var load = metrics.Current;
            _lease.Sent(++_sequence);
            await connection.SendAsync(new HeartbeatPacket(_sequence, load.CpuPermille, load.MemoryPermille, load.NetworkKbps, maps.Report()), cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task ForwardStatesAsync(CoordinatorConnection connection, CancellationToken cancellationToken)
    {
        await foreach (var state in maps.States.ReadAllAsync(cancellationToken))
            await connection.SendAsync(state, cancellationToken);
    }

    /// <summary>
    /// Stops serving every map once the lease has run out (no HEARTBEAT_ACK for <c>coordinator.lease_ms</c>): past that
    /// point the coordinator may hand the maps to another host. Checked every tenth of the lease (at most 100 ms).
    /// </summary>
    private async Task WatchLeaseAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_lease.Length.TotalMilliseconds / 10, 10, 100));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Lapsed: the lease is out, or it ran out and was granted again since the instance was created.
                var lapsed = maps.Lapsed();
                if (lapsed.Count == 0) continue;
                // Each instance refused everything from the moment the lease ran out (its LeaseGate), which the line
                // carries as "expired N ms ago": a timer cannot be on time after a freeze, the gate is.
                LogLeaseExpired(logger, (long)_lease.Length.TotalMilliseconds, (long)_lease.RanOutAgo.TotalMilliseconds, string.Join(", ", lapsed));
                await maps.StopServingAsync(lapsed, "lease expired");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 5140, Level = LogLevel.Warning,
        Message = "Lease expired: no HEARTBEAT_ACK within {LeaseMs} ms (expired {LateMs} ms ago); stops serving {Maps} now, until the coordinator acknowledges again")]
    private static partial void LogLeaseExpired(ILogger logger, long leaseMs, long lateMs, string maps);

    [LoggerMessage(EventId = 5141, Level = LogLevel.Information, Message = "Ignored ASSIGN_MAP {Map} (epoch {Epoch}): no lease (expired {LateMs} ms ago); the next acknowledged heartbeat brings it back")]
    private static partial void LogAssignWithoutLease(ILogger logger, string map, ulong epoch, long lateMs);

    /// <summary>Stops every instance (its players marked offline), closes the database proxy connection, tells the coordinator the maps stopped (briefly, if a session is up), then BYE.</summary>
    private async Task ShutdownAsync()
    {
        await maps.StopAllAsync();
        await database.DisposeAsync();
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is null) return;
        claims.Detach(connection);
        using var timeout = new CancellationTokenSource(timings.ShutdownReportTimeout);
        try
        {
            while (maps.States.TryRead(out var state)) await connection.SendAsync(state, timeout.Token);
        }
        catch (Exception e) when (e is ProtocolException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The coordinator learns the rest from the closed session.
        }
        await connection.DisposeAsync();
        LogBye(logger);
    }

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Created host key {KeyFile} ({Protection}); host id {HostId}")]
    private static partial void LogKeyCreated(ILogger logger, string keyFile, string protection, string hostId);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Loaded host key {KeyFile}; host id {HostId}")]
    private static partial void LogKeyLoaded(ILogger logger, string keyFile, string hostId);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Host agent {HostId} ({Kind}) at {Endpoint}; coordinator endpoints: {Endpoints}")]
    private static partial void LogStarting(ILogger logger, string hostId, string kind, string endpoint, string endpoints);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "!!! coordinator.require_encryption is false: the agent accepts an unencrypted coordinator session. Development only !!!")]
    private static partial void LogPlaintextAllowed(ILogger logger);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Connected to coordinator {Endpoint} as {HostId} (session {SessionId}, {Encryption})")]
    private static partial void LogConnected(ILogger logger, string endpoint, string hostId, ulong sessionId, string encryption);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Cannot connect to coordinator {Endpoint}: {Reason}; next attempt in {DelayMs} ms")]
    private static partial void LogAttemptFailed(ILogger logger, string endpoint, string reason, long delayMs);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Disconnected from coordinator {Endpoint}: {Reason}; reconnecting in {DelayMs} ms (maps keep running)")]
    private static partial void LogDisconnected(ILogger logger, string endpoint, string reason, long delayMs);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Error,
        Message = "Coordinator {Endpoint} refused this host: {Reason}. Retrying only every {DelaySeconds} s; check coordinator.public_key, identity and the cluster's host list")]
    private static partial void LogRefused(ILogger logger, string endpoint, string reason, long delaySeconds);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Coordinator assigns map {Map} (epoch {Epoch}, max {MaxPlayers} players)")]
    private static partial void LogAssign(ILogger logger, string map, ulong epoch, ushort maxPlayers);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Coordinator revokes map {Map} (epoch {Epoch}, {Reason})")]
    private static partial void LogRevoke(ILogger logger, string map, ulong epoch, string reason);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Warning, Message = "Ignored packet 0x{Id:X4} from the coordinator (not for host agents)")]
    private static partial void LogUnexpected(ILogger logger, ushort id);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Information,
        Message = "Ignored CLAIM_RESULT {RequestId} for char {CharId} ({Code}): no claim waits for it (answered after the timeout)")]
    private static partial void LogLateClaim(ILogger logger, uint requestId, uint charId, ProtocolError code);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Information, Message = "Said BYE to the coordinator")]
    private static partial void LogBye(ILogger logger);
}
