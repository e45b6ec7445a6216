using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
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
    private bool _clean;
    private bool _admitted; // holds one of coordinator.max_pending_handshakes until Established or closed
    private bool _clientPlace; // holds one of the places not reserved for host agents (a game client or tool)
    private string? _claimedHost; // the host key this session holds in HostSessions
    private volatile bool _replaced;
    private IdleWatch? _idle;
    private readonly PushGate _pushes = new(); // a grain's pushes wait for WELCOME
    private long _helloAt; // when HELLO was read, for the handshake duration
    private long _lastRekey = Stopwatch.GetTimestamp();
    private string? _hostId;
    private int _keySetAnnounced = -1;
    private IHostConnection? _observer;
    /// <summary>This session as the host grain knows it: its attach and its end count only while it is the host's latest.</summary>
    private readonly Guid _sessionId = Guid.NewGuid();
    private HostConnectionObserver? _observerTarget; // Orleans holds observers weakly: the session keeps it alive
    // PINGs of one read are all started before the first is awaited; their PONGs still leave in arrival order.
    private readonly Queue<(ValueTask<long> Now, PingPacket Ping)> _pendingPongs = new();

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
                    await FailAsync(read.Error, Describe(read.Error));
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
                    if (before != State.Established && _state == State.Established && _hostId is not null)
                        reattach = ReattachLoopAsync(stop.Token);
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
            LeaveHandshake();
            if (_clientPlace) context.Limiter.ExitClient();
            await stop.CancelAsync();
            await reattach;
            await DrainDbRequestsAsync();
            await DetachHostAsync();
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
        // Game clients and tools share the places host agents do not need to keep for themselves.
        if (hello.Role != PeerRole.HostAgent)
        {
            if (!context.Limiter.TryEnterClient())
            {
                context.Metrics.Refuse(ConnectionLimit.HostReserve);
                return await FailAsync(ProtocolError.ServerBusy,
                    $"every place for game clients and tools is taken ({context.Coordinator.MaxClientConnections}; the rest is kept for host agents); retry later");
            }
            _clientPlace = true;
        }
        // Admission before any crypto or grain call. A HELLO that finds every slot taken waits its turn for a while;
        // past that the refusal is cheap, plaintext, and tells the peer to back off, where an unbounded crowd of
        // handshakes would miss their deadlines after costing their full price.
        if (!await context.Handshakes.EnterAsync(host: !_clientPlace, connection.ConnectionClosed))
        {
            if (connection.ConnectionClosed.IsCancellationRequested) return false;
            return await FailAsync(ProtocolError.ServerBusy,
                $"too many handshakes under way ({context.Handshakes.Limit}; none free within {context.Handshakes.MaxWait.TotalMilliseconds:F0} ms); retry later");
        }
        _admitted = true;
        var error = _handshake.Accept(hello, out var reply, out var channel);
        if (error != ProtocolError.None) return await FailAsync(error, Describe(error));
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
            if (!await IdentifyProxyHostAsync(identify)) return false;
            identity = _proxyHostId!;
        }
        else if (_handshake.Role == PeerRole.HostAgent)
        {
            if (identify.Type != IdentityType.Ed25519) return await FailAsync(ProtocolError.IdentityRejected, "host agents must identify with their Ed25519 key");
            if (identify.HostKind > (byte)HostKind.Vps) return await FailAsync(ProtocolError.Malformed, $"unknown host kind {identify.HostKind}");
            identity = HandshakeCrypto.HostId(identify.PublicKey.Span);
            // The key is claimed before the registration, so an older session of it that ends meanwhile does not
            // report the host gone while this one registers it.
            var previous = ClaimHost(identity);
            try
            {
                var host = context.Grains.GetGrain<IHostGrain>(identity);
                await host.ConnectAsync(new HostRegistration(identify.PublicKey.ToArray(), (HostKind)identify.HostKind, identify.Endpoint, _sessionId));
                _observerTarget = new HostConnectionObserver(this);
                _observer = context.Grains.CreateObjectReference<IHostConnection>(_observerTarget);
                await host.AttachAsync(_observer, _sessionId);
                // Only a completed registration is reported at the end: a half-done one leaves the grain to notice the
                // silence (heartbeat timeout) unless the agent's next attempt comes first, which costs no write at all.
                _hostId = identity;
            }
            catch (ClusterException e)
            {
                UnclaimHost(previous);
                return await FailAsync(ErrorMapping.ToProtocol(e.Code), e.Message);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                UnclaimHost(previous);
                return await FailAsync(ProtocolError.Unavailable, "the cluster did not answer; retry later");
            }
            // Not awaited: the older peer may be gone without a word, and its ERROR must not hold up this handshake.
            if (previous is not null) _ = previous.ReplaceAsync(identity);
        }

        _state = State.Established;
        LeaveHandshake();
        _idle!.Start(TimeSpan.FromMilliseconds(databaseProxy ? context.Coordinator.DbProxyIdleTimeoutMs
            : _hostId is not null ? context.Coordinator.HostIdleTimeoutMs : context.Coordinator.ClientIdleTimeoutMs));
        _frames.MaxInboundFrame = context.Coordinator.MaxFrameSize + (_frames.Channel is null ? 0 : ProtocolLimits.SealOverhead);
        await _frames.SendAsync(new WelcomePacket(context.NextSessionId(), (ushort)context.Coordinator.MaxFrameSize,
            (uint)context.Security.KeyRotationInterval, identity));
        if (LearnsKeys) await AnnounceKeySetAsync();
        await _pushes.OpenAsync();
        context.Metrics.HandshakeDone(_helloAt);
        LogEstablished(context.Logger, connection.ConnectionId, _handshake.Role, identity.Length > 0 ? identity : "anonymous", _frames.Channel is not null);
        return true;
    }

    /// <summary>Host agents, and clients that asked in HELLO, are sent the key set (KEY_SET) and each change of it.</summary>
    private bool LearnsKeys => _hostId is not null || _handshake.LearnsKeySet;

    /// <summary>Sends the peer the key set (KEY_SET), so it learns a rotated key before that key signs anything it checks.</summary>
    private async ValueTask AnnounceKeySetAsync()
    {
        int version = context.Keys.Version;
        // Signed by the key the agent's handshake trusted, while it still verifies; once it retired, the agent has learned the active one.
        var signer = context.Keys.StillSigning(_handshake.Signer.KeyId) ?? context.CoordinatorKey;
        _keySetAnnounced = version; // also with no set yet: the next version brings one, and no packet signs in vain
        if (context.Keys.Announcement(signer) is not { } announcement) return;
        await _frames.SendAsync(announcement);
    }

    private async ValueTask<bool> OnEstablishedAsync(Frame frame)
    {
        // A changed key set reaches a learning peer with the next packet it sends after this gateway read the change
        // (an agent's heartbeat, a client's keep-alive PING).
        if (_keySetAnnounced != context.Keys.Version && LearnsKeys) await AnnounceKeySetAsync();
        if (frame.Id == (ushort)PacketId.Ping) return await OnPingAsync(frame);
        if (!await DrainPongsAsync()) return false;
        if (_frames.Channel is not null
            && Stopwatch.GetElapsedTime(_lastRekey) > TimeSpan.FromSeconds(context.Security.KeyRotationInterval))
        {
            await _frames.RekeyAsync();
            _lastRekey = Stopwatch.GetTimestamp();
        }

        switch ((PacketId)frame.Id)
        {
            case PacketId.Bye:
                _clean = true;
                return false;
            case PacketId.Heartbeat when _hostId is not null:
            {
                long started = GatewayMetrics.Now();
                bool keep = await OnHostPacketAsync(frame);
                context.Metrics.HeartbeatHandled(started);
                return keep;
            }
            case PacketId.HostCapacity or PacketId.MapState when _hostId is not null:
                return await OnHostPacketAsync(frame);
            case PacketId.ClaimTicket when _hostId is not null:
                return await OnClaimAsync(frame);
            case PacketId.MovePlayer when _hostId is not null:
                return await OnMoveAsync(frame);
            case PacketId.PlayerLeft when _hostId is not null:
                return await OnPlayerLeftAsync(frame);
            case PacketId.Login when _handshake.Role == PeerRole.GameClient && _accountId == 0:
                return await OnLoginAsync(frame);
            case PacketId.Resolve when _accountId != 0:
            {
                long started = GatewayMetrics.Now();
                bool keep = await OnResolveAsync(frame);
                context.Metrics.ResolveHandled(started);
                return keep;
            }
            case PacketId.ReportUnreachable when _accountId != 0:
                return await OnReportUnreachableAsync(frame);
            case PacketId.LatencyReport when _accountId != 0:
                return await OnLatencyReportAsync(frame);
            case PacketId.DbLoadChar or PacketId.DbSaveChar or PacketId.DbSetOnline when _proxyHostId is not null:
                return await OnDbRequestAsync(frame);
            case PacketId.Error:
                if (FrameCodec.TryRead(frame, out ErrorPacket peerError)) LogPeerError(context.Logger, connection.ConnectionId, peerError.Code, peerError.Message);
                return false;
            default:
                return await FailAsync(ProtocolError.UnexpectedPacket, $"packet 0x{frame.Id:X4} is not valid here");
        }
    }

    /// <summary>
    /// A PING answered by the gateway (or, with <see cref="PingPacket.ThroughCluster"/>, by a grain on this silo).
    /// The grain call is started here and awaited by <see cref="DrainPongsAsync"/>, so pipelined PINGs overlap.
    /// </summary>
    private async ValueTask<bool> OnPingAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out PingPacket ping)) return await FailAsync(ProtocolError.Malformed, "malformed PING");
        ValueTask<long> now;
        if ((ping.Flags & PingPacket.ThroughCluster) == 0)
        {
            now = ValueTask.FromResult(context.Time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        else
        {
            try
            {
                now = new ValueTask<long>(context.Probe.PingAsync());
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                now = ValueTask.FromException<long>(e);
            }
        }
        if (_pendingPongs.Count == 0 && now.IsCompletedSuccessfully)
        {
            await _frames.SendAsync(new PongPacket(ping.Token, now.Result, ping.Flags));
            return true;
        }
        _pendingPongs.Enqueue((now, ping));
        return true;
    }

    /// <summary>Sends the PONGs of started PINGs in order; false (after ERROR) when the cluster did not answer one.</summary>
    private async ValueTask<bool> DrainPongsAsync()
    {
        bool ok = true;
        while (_pendingPongs.TryDequeue(out var pending))
        {
            long now;
            try
            {
                now = await pending.Now;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                ok = false;
                continue; // the rest are still awaited, so no call is left unobserved
            }
            if (ok) await _frames.SendAsync(new PongPacket(pending.Ping.Token, now, pending.Ping.Flags));
        }
        return ok || await FailAsync(ProtocolError.Unavailable, "the cluster did not answer");
    }

    /// <summary>Host-agent packets become calls on the host grain; its answers (acks, revocations, re-sent assignments) go back.</summary>
    private async ValueTask<bool> OnHostPacketAsync(Frame frame)
    {
        var host = context.Grains.GetGrain<IHostGrain>(_hostId!);
        try
        {
            switch ((PacketId)frame.Id)
            {
                case PacketId.HostCapacity:
                    if (!FrameCodec.TryRead(frame, out HostCapacityPacket capacity)) return await FailAsync(ProtocolError.Malformed, "malformed HOST_CAPACITY");
                    await host.ReportCapacityAsync(HostPackets.Capacity(capacity));
                    return true;
                case PacketId.Heartbeat:
                    if (!FrameCodec.TryRead(frame, out HeartbeatPacket heartbeat) || heartbeat.Maps.Any(m => !Names.IsValidMapName(m.Map)))
                        return await FailAsync(ProtocolError.Malformed, "malformed HEARTBEAT");
                    var reply = await host.HeartbeatAsync(HostPackets.Heartbeat(heartbeat));
                    await _frames.SendAsync(new HeartbeatAckPacket(heartbeat.Sequence, context.Time.GetUtcNow().ToUnixTimeMilliseconds()));
                    foreach (var revocation in reply.Revoke) await _frames.SendAsync(HostPackets.Revoke(revocation));
                    foreach (var order in reply.Assign) await _frames.SendAsync(HostPackets.Assign(order));
                    return true;
                default:
                    if (!FrameCodec.TryRead(frame, out MapStatePacket mapState) || !Names.IsValidMapName(mapState.Map))
                        return await FailAsync(ProtocolError.Malformed, "malformed MAP_STATE");
                    var stale = await host.MapStateAsync(mapState.Map, (long)Math.Min(mapState.Epoch, long.MaxValue), (MapInstanceState)mapState.State, mapState.Port);
                    if (stale is not null) await _frames.SendAsync(HostPackets.Revoke(stale));
                    return true;
            }
        }
        catch (Exception e) when (ClusterException.Find(e) is { Code: ClusterError.StoreUnavailable } unavailable)
        {
            // A database outage is the cluster's, not the host's: this packet goes unanswered (the next heartbeat
            // carries the same facts again) and the session stays.
            LogStoreUnavailable(context.Logger, connection.ConnectionId, _hostId!, (PacketId)frame.Id, unavailable.Message);
            return true;
        }
        catch (ClusterException e)
        {
            return await FailAsync(ErrorMapping.ToProtocol(e.Code), e.Message);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The host grain's silo died or froze and the cluster is re-forming: the host is not at fault, so its
            // session stays. A heartbeat is simply not acknowledged (its lease is not renewed: docs/placement.md);
            // the next one reaches the grain's new activation, and the heartbeat re-sends what MAP_STATE missed.
            LogClusterUnavailable(context.Logger, connection.ConnectionId, _hostId!, (PacketId)frame.Id, e.GetType().Name);
            return true;
        }
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information,
        Message = "{ConnectionId}: host {HostId}'s {Packet} did not reach its grain ({Error}); the session stays, the next heartbeat retries")]
    private static partial void LogClusterUnavailable(ILogger logger, string connectionId, string hostId, PacketId packet, string error);

    /// <summary>A grain pushed a packet for this connection (an assignment, a revocation).</summary>
    public Task PushAsync<T>(T packet) where T : IPacket<T> => _pushes.SendOrHoldAsync(() => SendPushAsync(packet));

    private async Task SendPushAsync<T>(T packet) where T : IPacket<T>
    {
        try
        {
            await _frames.SendAsync(packet);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; the host learns its assignments from the next heartbeat after reconnecting.
        }
    }

    /// <summary>A grain asked for this connection to close (a ban): tell the host why, then end the read loop.</summary>
    public Task CloseFromClusterAsync(ClusterError code, string message) => CloseAsync(ErrorMapping.ToProtocol(code), message);

    /// <summary>Closes the connection from outside its read loop: tells the peer why, then ends the loop.</summary>
    private async Task CloseAsync(ProtocolError code, string message)
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
    private async ValueTask<bool> FailAsync(ProtocolError code, string message)
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

    private async Task ReattachLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(context.ReattachInterval, context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken) && !_replaced)
            {
                try
                {
                    await context.Grains.GetGrain<IHostGrain>(_hostId!).AttachAsync(_observer!, _sessionId);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    // The grain's silo may be failing over; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void LeaveHandshake()
    {
        if (!_admitted) return;
        _admitted = false;
        context.Handshakes.Exit(host: !_clientPlace);
    }

    private async Task DetachHostAsync()
    {
        // A replaced session leaves the host to the session that replaced it.
        bool held = _claimedHost is not null && context.HostSessions.Release(_claimedHost, databaseProxy, this);
        if (_hostId is not null && held)
        {
            try
            {
                await context.Grains.GetGrain<IHostGrain>(_hostId).DisconnectAsync(failure: !_clean, _clean ? null : "connection lost", _sessionId);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
            {
                LogDetachFailed(context.Logger, e, _hostId);
            }
        }
        if (_observer is not null)
        {
            try
            {
                context.Grains.DeleteObjectReference<IHostConnection>(_observer);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static string Describe(ProtocolError error) => error switch
    {
        ProtocolError.Malformed => "malformed frame",
        ProtocolError.FrameTooLarge => "frame exceeds the size limit",
        ProtocolError.UnknownPacket => "unknown packet id",
        ProtocolError.UnexpectedPacket => "packet not valid in this state",
        ProtocolError.UnsupportedVersion => $"protocol version {ProtocolLimits.Version} only",
        ProtocolError.EncryptionRequired => "this server requires encryption",
        ProtocolError.DecryptFailed => "frame failed authentication (tampered, replayed or reordered)",
        _ => error.ToString(),
    };

    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "{ConnectionId}: established as {Role} {Identity} (encrypted: {Encrypted})")]
    private static partial void LogEstablished(ILogger logger, string connectionId, PeerRole role, string identity, bool encrypted);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{ConnectionId}: rejected with {Code}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string connectionId, ProtocolError code, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "{ConnectionId}: peer sent error {Code}: {Message}")]
    private static partial void LogPeerError(ILogger logger, string connectionId, ProtocolError code, string message);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "{ConnectionId}: unexpected failure in the gateway session")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "{ConnectionId}: host {HostId}'s {Packet} was not applied, the database failed ({Reason}); the session stays")]
    private static partial void LogStoreUnavailable(ILogger logger, string connectionId, string hostId, PacketId packet, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Could not record the disconnect of host {HostId}")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string hostId);
}
