using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using P2PCluster.Gateway.Handlers;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// One connection's state machine (docs/protocol.md): HELLO → SERVER_HELLO → IDENTIFY → WELCOME → established.
/// Frames come from the connection's <see cref="FrameReader"/> and replies leave through its batching writer; any protocol violation sends the documented ERROR
/// (sealed once the channel exists) and closes. Grain pushes arrive through <see cref="HostConnectionObserver"/>.
/// </summary>
public sealed partial class GatewaySession(ConnectionContext connection, GatewayContext context, bool databaseProxy = false)
{
    private enum State { AwaitHello, AwaitIdentify, Established }

    private readonly PipeReader _input = connection.Transport.Input;
    private readonly FrameSession _frames = new(connection.Transport.Input, connection.Transport.Output);
    private readonly ServerHandshake _handshake = new(context.CoordinatorKey, context.Security.EncryptionEnabled) { Preferred = context.Keys.StillSigning };
    private TokenBucket _bucket = new(context.Coordinator.MaxFramesPerSecond);
    private State _state = State.AwaitHello;
    private volatile bool _handshakeExpired;
    private volatile bool _closeRequested;
    private readonly SessionAdmission _admission = new(context);
    private readonly KeySetAnnouncer _keySet = new(context.Keys);
    private IdleWatch? _idle;
    private long _helloAt; // when HELLO was read, for the handshake duration
    private long _lastRekey = Stopwatch.GetTimestamp();
    private HostLink? _host;
    private PongQueue? _pongs;
    private TicketSigner? _tickets;

    /// <summary>What every connection shares: the cluster, keys, limits, metrics.</summary>
    internal GatewayContext Context => context;
    internal string ConnectionId => connection.ConnectionId;

    /// <summary>What this session is since IDENTIFY (and LOGIN): decides which packets it may send (<see cref="PacketHandlers"/>).</summary>
    internal SessionRole Role { get; private set; }

    /// <summary>A game client's login and characters; null for other roles.</summary>
    internal PlayerState? Player { get; private set; }

    /// <summary>The database proxy's requests; null but at <c>coordinator.db_proxy_port</c>.</summary>
    internal DbRequests? Db { get; private set; }

    /// <summary>The host key this session holds, and at the gateway port the host's registration.</summary>
    internal HostLink Host => _host ??= new HostLink(this, context, databaseProxy);

    /// <summary>The host registered through this session (gateway port); null for other roles.</summary>
    internal string? HostId => _host?.HostId;

    internal TicketSigner Tickets => _tickets ??= new TicketSigner(context);
    private PongQueue Pongs => _pongs ??= new PongQueue(this, context);

    /// <summary>The peer said BYE: its leaving is no failure.</summary>
    internal bool Clean { get; set; }

    /// <summary>The session was closed from outside its read loop (a ban, a newer session of the host): nothing follows its ERROR.</summary>
    internal bool CloseRequested => _closeRequested;

    public async Task RunAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(context.Coordinator.HandshakeTimeoutMs));
        using var expiry = deadline.Token.Register(() =>
        {
            if (_state == State.Established) return;
            _handshakeExpired = true;
            _input.CancelPendingRead();
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        using var idle = _idle = new IdleWatch(context.Time, _input.CancelPendingRead);
        Task reattach = Task.CompletedTask;
        long frames = 0; // of the batch being handled
        try
        {
            while (true)
            {
                // No cancellation token: a closed connection completes the pipe, so a partial frame is seen (and counted).
                var read = await _frames.ReadAsync();
                if (read.Outcome == ReadOutcome.Canceled)
                {
                    if (_handshakeExpired && _state != State.Established)
                    {
                        await FailAsync(ProtocolError.HandshakeTimeout, $"handshake not completed within {context.Coordinator.HandshakeTimeoutMs} ms");
                        break;
                    }
                    if (idle.Expired && !_closeRequested)
                    {
                        await FailAsync(ProtocolError.IdleTimeout, $"no complete frame for {idle.IdleTimeout.TotalMilliseconds:F0} ms");
                        break;
                    }
                    // The deadline passed while this side was still registering the host, and the registration then
                    // succeeded: WELCOME is out and the work is done, so the session goes on rather than being thrown away.
                    if (_closeRequested || _state != State.Established) break;
                    continue;
                }
                if (read.Outcome == ReadOutcome.Completed)
                {
                    if (read.Error != ProtocolError.None) context.Metrics.Reject(read.Error);
                    break;
                }
                // Every frame already buffered is handled before the PONGs of its PINGs are awaited (one batch).
                if (frames++ == 0) idle.Busy();
                bool close;
                if (read.Outcome == ReadOutcome.Error)
                {
                    await FailAsync(read.Error, ProtocolErrorText.Describe(read.Error));
                    close = true;
                }
                else if (!_bucket.TryTake())
                {
                    await FailAsync(ProtocolError.RateLimited, $"more than {context.Coordinator.MaxFramesPerSecond} frames a second");
                    close = true;
                }
                else
                {
                    var before = _state;
                    close = !await HandleAsync(read.Frame);
                    _frames.Advance();
                    if (before != State.Established && _state == State.Established && HostId is not null)
                        reattach = Host.ReattachLoopAsync(stop.Token);
                }
                if (!close && _frames.Reader.HasBufferedFrame) continue;
                context.Metrics.FramesReceived(frames);
                frames = 0;
                idle.Done();
                if (close || _closeRequested) break;
                if (!await DrainPongsAsync()) break;
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; nothing to tell it.
        }
        catch (Exception e)
        {
            LogUnexpected(context.Logger, e, connection.ConnectionId);
            await FailAsync(ProtocolError.Internal, "internal error");
        }
        finally
        {
            _admission.Exit();
            await stop.CancelAsync();
            await reattach;
            if (Db is not null) await Db.DrainAsync();
            if (_host is not null) await _host.DetachAsync(Clean);
            await _frames.DisposeAsync();
            await _input.CompleteAsync();
            _handshake.Dispose();
        }
    }

    /// <summary>Handles one frame; false closes the connection.</summary>
    private async ValueTask<bool> HandleAsync(Frame frame) => _state switch
    {
        State.AwaitHello => await OnHelloAsync(frame),
        State.AwaitIdentify => await OnIdentifyAsync(frame),
        _ => await OnEstablishedAsync(frame),
    };

    private async ValueTask<bool> OnHelloAsync(Frame frame)
    {
        _helloAt = GatewayMetrics.Now();
        if (frame.Id != (ushort)PacketId.Hello) return await FailAsync(ProtocolError.UnexpectedPacket, $"expected HELLO, got 0x{frame.Id:X4}");
        if (!FrameCodec.TryRead(frame, out HelloPacket hello)) return await FailAsync(ProtocolError.Malformed, "malformed HELLO");
        if (await _admission.EnterAsync(hello.Role, connection.ConnectionClosed) is { } refused)
            return refused.Code != ProtocolError.None && await FailAsync(refused.Code, refused.Message);
        var error = _handshake.Accept(hello, out var reply, out var channel);
        if (error != ProtocolError.None) return await FailAsync(error, ProtocolErrorText.Describe(error));
        await _frames.SendAsync(reply);
        _frames.Channel = channel;
        _state = State.AwaitIdentify;
        return true;
    }

    private async ValueTask<bool> OnIdentifyAsync(Frame frame)
    {
        if (frame.Id != (ushort)PacketId.Identify) return await FailAsync(ProtocolError.UnexpectedPacket, $"expected IDENTIFY, got 0x{frame.Id:X4}");
        if (!FrameCodec.TryRead(frame, out IdentifyPacket identify)) return await FailAsync(ProtocolError.Malformed, "malformed IDENTIFY");
        var error = _handshake.Verify(identify);
        if (error != ProtocolError.None) return await FailAsync(error, "identity signature does not verify");

        string identity = "";
        if (databaseProxy)
        {
            if (await DbProxyAdmission.CheckAsync(context, _handshake.Role, identify) is { } refused) return await FailAsync(refused.Code, refused.Message);
            identity = HandshakeCrypto.HostId(identify.PublicKey.Span);
            Db = new DbRequests(this, identity);
            // One proxy session per host key, as at the gateway port: the older one closes once its requests are answered.
            if (Host.Claim(identity) is { } previous) _ = previous.Host.ReplaceAsync(identity);
            Role = SessionRole.DatabaseProxy;
        }
        else if (_handshake.Role == PeerRole.HostAgent)
        {
            if (identify.Type != IdentityType.Ed25519) return await FailAsync(ProtocolError.IdentityRejected, "host agents must identify with their Ed25519 key");
            if (identify.HostKind > (byte)HostKind.Vps) return await FailAsync(ProtocolError.Malformed, $"unknown host kind {identify.HostKind}");
            identity = HandshakeCrypto.HostId(identify.PublicKey.Span);
            if (await Host.RegisterAsync(identity, identify) is { } failed) return await FailAsync(failed.Code, failed.Message);
            Role = SessionRole.HostAgent;
        }
        else
        {
            (Role, Player) = _handshake.Role == PeerRole.GameClient ? (SessionRole.Guest, new PlayerState(context)) : (SessionRole.Tool, null);
        }

        _state = State.Established;
        _admission.LeaveHandshake();
        _idle!.Start(TimeSpan.FromMilliseconds(Role switch
        {
            SessionRole.DatabaseProxy => context.Coordinator.DbProxyIdleTimeoutMs,
            SessionRole.HostAgent => context.Coordinator.HostIdleTimeoutMs,
            _ => context.Coordinator.ClientIdleTimeoutMs,
        }));
        _frames.MaxInboundFrame = context.Coordinator.MaxFrameSize + (_frames.Channel is null ? 0 : ProtocolLimits.SealOverhead);
        await _frames.SendAsync(new WelcomePacket(context.NextSessionId(), (ushort)context.Coordinator.MaxFrameSize,
            (uint)context.Security.KeyRotationInterval, identity));
        if (LearnsKeys) await AnnounceKeySetAsync();
        if (_host is not null) await _host.OpenPushesAsync(); // a grain's pushes waited for WELCOME
        context.Metrics.HandshakeDone(_helloAt);
        LogEstablished(context.Logger, connection.ConnectionId, _handshake.Role, identity.Length > 0 ? identity : "anonymous", _frames.Channel is not null);
        return true;
    }

    /// <summary>Host agents, and clients that asked in HELLO, are sent the key set (KEY_SET) and each change of it.</summary>
    private bool LearnsKeys => Role == SessionRole.HostAgent || _handshake.LearnsKeySet;

    /// <summary>Sends the peer the key set (KEY_SET) if there is one (<see cref="KeySetAnnouncer"/>).</summary>
    private async ValueTask AnnounceKeySetAsync()
    {
        if (_keySet.Next(_handshake.Signer.KeyId) is { } announcement) await _frames.SendAsync(announcement);
    }

    private async ValueTask<bool> OnEstablishedAsync(Frame frame)
    {
        // A changed key set reaches a learning peer with the next packet it sends after this gateway read the change
        // (an agent's heartbeat, a client's keep-alive PING).
        if (_keySet.Changed && LearnsKeys) await AnnounceKeySetAsync();
        if (frame.Id == (ushort)PacketId.Ping) return await Pongs.PingAsync(frame);
        if (!await DrainPongsAsync()) return false;
        if (_frames.Channel is not null
            && Stopwatch.GetElapsedTime(_lastRekey) > TimeSpan.FromSeconds(context.Security.KeyRotationInterval))
        {
            await _frames.RekeyAsync();
            _lastRekey = Stopwatch.GetTimestamp();
        }
        return PacketHandlers.For(frame.Id, Role) is { } handler
            ? await handler.HandleAsync(this, frame)
            : await FailAsync(ProtocolError.UnexpectedPacket, $"packet 0x{frame.Id:X4} is not valid here");
    }

    private ValueTask<bool> DrainPongsAsync() => _pongs is null ? ValueTask.FromResult(true) : _pongs.DrainAsync();

    /// <summary>A game client's LOGIN succeeded: the session is the account's player from now on.</summary>
    internal void LoggedIn(int accountId)
    {
        Player!.AccountId = accountId;
        Role = SessionRole.Player;
    }

    /// <summary>Queues <paramref name="packet"/> for the peer (the writer flushes each batch it takes); false once the peer is gone.</summary>
    internal ValueTask<bool> SendAsync<T>(T packet) where T : IPacket<T> => _frames.SendAsync(packet);

    /// <summary>Closes the connection from outside its read loop: tells the peer why, then ends the loop.</summary>
    internal async Task CloseAsync(ProtocolError code, string message)
    {
        _closeRequested = true;
        try
        {
            await _frames.SendAsync(new ErrorPacket(code, message));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
        }
        _input.CancelPendingRead();
    }

    /// <summary>Counts the rejection, sends ERROR if the channel allows, and returns false (close).</summary>
    internal async ValueTask<bool> FailAsync(ProtocolError code, string message)
    {
        context.Metrics.Reject(code);
        LogRejected(context.Logger, connection.ConnectionId, code, message);
        try
        {
            await _frames.SendAsync(new ErrorPacket(code, message));
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
        }
        return false;
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "{ConnectionId}: established as {Role} {Identity} (encrypted: {Encrypted})")]
    private static partial void LogEstablished(ILogger logger, string connectionId, PeerRole role, string identity, bool encrypted);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{ConnectionId}: rejected with {Code}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string connectionId, ProtocolError code, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "{ConnectionId}: unexpected failure in the gateway session")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string connectionId);
}
