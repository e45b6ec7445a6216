using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

public sealed partial class DbProxyClient
{
    /// <summary>One connection to the proxy, from the handshake until it ends.</summary>
    private sealed class Session(CoordinatorConnection connection)
    {
        public CoordinatorConnection Connection => connection;
        public CancellationTokenSource Ended { get; } = new();
        public string? Reason { get; set; }
    }

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private CoordinatorEndpoint? _target;
    private Session? _session;
    private TaskCompletionSource<Session?> _ready = NewReady();
    private TaskCompletionSource _retarget = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private bool _stopped;
    private string _lastFailure = "no connection attempted yet: the agent is not connected to a gateway";

    private string LastFailure
    {
        get { lock (_lock) return _lastFailure; }
    }

    private static TaskCompletionSource<Session?> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Connects to the proxy at <paramref name="proxy"/> from now on (the host of the gateway the agent is connected
    /// to, at <c>coordinator.db_proxy_port</c>): the first call starts the connection, a call naming another endpoint
    /// moves it there, the same endpoint again changes nothing.
    /// </summary>
    public void Connect(CoordinatorEndpoint proxy)
    {
        Session? moved;
        TaskCompletionSource wake;
        lock (_lock)
        {
            if (_stopped || proxy == _target) return;
            bool first = _target is null;
            _target = proxy;
            moved = _session;
            wake = _retarget;
            _retarget = new(TaskCreationOptions.RunContinuationsAsynchronously);
            if (first) _loop = Task.Run(() => RunAsync(_stop.Token));
        }
        wake.TrySetResult();
        if (moved is not null) End(moved, $"the agent now uses the gateway at {proxy.Host}");
    }

    /// <summary>The current session, waiting up to <paramref name="wait"/> for one; null when none came.</summary>
    private async Task<Session?> SessionAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task<Session?> ready;
        lock (_lock)
        {
            if (_stopped) return null;
            ready = _ready.Task;
        }
        try
        {
            return await ready.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = new Backoff(timings.InitialReconnectDelay, timings.MaxReconnectDelay);
        while (!stop.IsCancellationRequested)
        {
            CoordinatorEndpoint target;
            Task retarget;
            lock (_lock) (target, retarget) = (_target!, _retarget.Task);
            string reason;
            bool connected = false;
            try
            {
                var connection = await EndpointDialer.ConnectAsync(target, options, stop);
                await using (connection)
                {
                    connected = true;
                    var session = new Session(connection);
                    lock (_lock)
                    {
                        _session = session;
                        _ready.TrySetResult(session);
                    }
                    LogConnected(logger, target.ToString(), connection.Encrypted ? "encrypted" : "NOT encrypted");
                    if (retarget.IsCompleted) End(session, "the agent moved to another gateway while this connection was made");
                    reason = await RunSessionAsync(session, backoff, stop);
                    End(session, reason);
                }
            }
            catch (Exception e)
            {
                // Also when stopping: an attempt under way may fail for its own reason (refused) rather than the
                // cancellation, and must not escape the loop (DisposeAsync awaits it during the agent's shutdown).
                reason = CoordinatorFailure.Describe(e, options.HandshakeTimeout);
            }
            if (stop.IsCancellationRequested) break;
            lock (_lock) _lastFailure = $"{target}: {reason}";
            if (retarget.IsCompleted) continue; // the agent moved to another gateway: go there at once
            var delay = backoff.Next();
            if (connected) LogDisconnected(logger, target.ToString(), reason, (long)delay.TotalMilliseconds);
            else LogAttemptFailed(logger, target.ToString(), reason, (long)delay.TotalMilliseconds);
            await Task.WhenAny(Task.Delay(delay, time, stop), retarget);
        }
    }

    /// <summary>Delivers answers until the session ends; returns why it ended.</summary>
    private async Task<string> RunSessionAsync(Session session, Backoff backoff, CancellationToken stop)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop, session.Ended.Token);
        var keepAlive = KeepAliveAsync(session, running.Token);
        try
        {
            await foreach (var packet in session.Connection.Incoming.ReadAllAsync(running.Token))
            {
                if (packet.TryRead(out DbCharPacket loaded)) Complete(session, loaded.RequestId, loaded.CharId, new Answer(loaded.Code, loaded.Version, loaded.Record));
                else if (packet.TryRead(out DbResultPacket result)) Complete(session, result.RequestId, result.CharId, new Answer(result.Code, result.Version, default));
                else
                {
                    LogUnexpected(logger, packet.Id, packet.Body.Length);
                    continue;
                }
                // Reset only once the proxy has answered: one that accepts and then drops every connection is not redialled at full speed.
                backoff.Reset();
            }
            return "the database proxy closed the connection";
        }
        catch (OperationCanceledException) when (session.Ended.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return session.Reason ?? "ended";
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            return CoordinatorFailure.Describe(e, options.HandshakeTimeout);
        }
        finally
        {
            await running.CancelAsync();
            await keepAlive;
        }
    }

    /// <summary>A PING now and then: a half-open connection would otherwise hold requests until their deadline, for ever.</summary>
    private async Task KeepAliveAsync(Session session, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(timings.DbKeepAlive, time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await session.Connection.PingAsync(cancellationToken: cancellationToken).WaitAsync(options.HandshakeTimeout, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            End(session, e is TimeoutException ? $"no PONG within {options.HandshakeTimeout.TotalSeconds:0.#} s" : $"PING failed: {e.Message}");
        }
    }

    /// <summary>Takes <paramref name="session"/> out of use (requests wait for the next one) and sends its waiting requests again.</summary>
    private void End(Session session, string reason)
    {
        lock (_lock)
        {
            if (_session == session)
            {
                _session = null;
                _ready = NewReady();
            }
            session.Reason ??= reason;
        }
        session.Ended.Cancel();
        Sweep(session);
    }

    /// <summary>Closes the connection (BYE); requests under way and later ones are answered Unavailable.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_stopped) return;
            _stopped = true;
            _ready.TrySetResult(null);
        }
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-attempt.
        }
        foreach (var (_, pending) in _pending) pending.Answer.TrySetResult(null);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 5130, Level = LogLevel.Information, Message = "Connected to the database proxy {Endpoint} ({Encryption})")]
    private static partial void LogConnected(ILogger logger, string endpoint, string encryption);

    [LoggerMessage(EventId = 5131, Level = LogLevel.Warning, Message = "Cannot connect to the database proxy {Endpoint}: {Reason}; next attempt in {DelayMs} ms (players' progress is not saved meanwhile)")]
    private static partial void LogAttemptFailed(ILogger logger, string endpoint, string reason, long delayMs);

    [LoggerMessage(EventId = 5132, Level = LogLevel.Warning, Message = "Disconnected from the database proxy {Endpoint}: {Reason}; reconnecting in {DelayMs} ms")]
    private static partial void LogDisconnected(ILogger logger, string endpoint, string reason, long delayMs);

    [LoggerMessage(EventId = 5133, Level = LogLevel.Warning, Message = "Ignored packet 0x{Id:X4} ({Length} bytes) from the database proxy")]
    private static partial void LogUnexpected(ILogger logger, ushort id, int length);

    [LoggerMessage(EventId = 5134, Level = LogLevel.Information, Message = "Ignored a database proxy answer to request {RequestId} (char {CharId}, {Code}): no request waits for it (answered after its deadline)")]
    private static partial void LogLateAnswer(ILogger logger, uint requestId, uint charId, string code);
}
