using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>
/// An established session with a coordinator gateway: handshake done, channel sealed (unless the server runs
/// without encryption and the options allow it). Pings are matched to pongs by token; any other packet the server
/// sends arrives on <see cref="Incoming"/>. A server ERROR ends the session: pending calls and <see cref="Completion"/>
/// fail with <see cref="ProtocolException"/>.
/// </summary>
public sealed class CoordinatorConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly FrameSession _frames;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<PongPacket>> _pings = new();
    private readonly Channel<ReceivedPacket> _incoming = Channel.CreateUnbounded<ReceivedPacket>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<KeySetPacket>? _onKeySet;
    private long _nextToken;
    private Task _receiveLoop = Task.CompletedTask;
    private PeriodicTimer? _keepAliveTimer;
    private Task _keepAlive = Task.CompletedTask;

    private CoordinatorConnection(Socket socket, Action<KeySetPacket>? onKeySet)
    {
        _onKeySet = onKeySet;
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(stream);
        _frames = new FrameSession(_input, PipeWriter.Create(stream));
    }

    public WelcomePacket Welcome { get; private set; }

    /// <summary>Whether frames are sealed.</summary>
    public bool Encrypted => _frames.Channel is not null;

    /// <summary>Packets the server sent other than PONG and ERROR.</summary>
    public ChannelReader<ReceivedPacket> Incoming => _incoming.Reader;

    /// <summary>Completes when the session ends; faults with <see cref="ProtocolException"/> if the server ended it with an ERROR.</summary>
    public Task Completion => _completion.Task;


    public static async Task<CoordinatorConnection> ConnectAsync(EndPoint endpoint, CoordinatorConnectionOptions options, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new CoordinatorConnection(socket, options.OnKeySet);
        try
        {
            await connection.HandshakeAsync(options, timeout.Token);
        }
        catch
        {
            await connection.DisposeCoreAsync(drain: true);
            throw;
        }
        connection._receiveLoop = connection.ReceiveLoopAsync();
        if (options.KeepAlive is { } interval)
        {
            connection._keepAliveTimer = new PeriodicTimer(interval);
            connection._keepAlive = connection.KeepAliveLoopAsync(connection._keepAliveTimer);
        }
        return connection;
    }

    private async Task HandshakeAsync(CoordinatorConnectionOptions options, CancellationToken cancellationToken)
    {
        using var handshake = new ClientHandshake(options.Role, options.CoordinatorKeys, options.RequireEncryption, preferFirstKey: options.PreferFirstKey,
            learnsKeySet: options.OnKeySet is not null);
        await _frames.SendAsync(handshake.CreateHello(), cancellationToken: cancellationToken);

        var serverHello = await ReadAsync<ServerHelloPacket>(cancellationToken);
        var error = handshake.Accept(serverHello, out var channel);
        if (error != ProtocolError.None)
        {
            await _frames.SendAsync(new ErrorPacket(error, "coordinator rejected"), cancellationToken: cancellationToken);
            throw new ProtocolException(error, error == ProtocolError.BadSignature
                ? "the coordinator's signature does not match a pinned key"
                : "the coordinator's handshake was not acceptable");
        }
        _frames.Channel = channel;
        await _frames.SendAsync(handshake.CreateIdentify(options.Identity, options.HostKind, options.Endpoint), cancellationToken: cancellationToken);
        Welcome = await ReadAsync<WelcomePacket>(cancellationToken);
        _frames.MaxInboundFrame = Welcome.MaxFrame + (channel is null ? 0 : ProtocolLimits.SealOverhead);
    }

    /// <summary>Reads the next frame during the handshake, expecting <typeparamref name="T"/> or an ERROR.</summary>
    private async Task<T> ReadAsync<T>(CancellationToken cancellationToken) where T : IPacket<T>
    {
        var read = await _frames.ReadAsync(cancellationToken);
        try
        {
            if (read.Outcome == ReadOutcome.Error) throw new ProtocolException(read.Error, "invalid frame from the coordinator");
            if (read.Outcome != ReadOutcome.Frame) throw new ProtocolException(ProtocolError.Truncated, "the coordinator closed the connection during the handshake");
            if (FrameCodec.TryRead(read.Frame, out ErrorPacket refusal)) throw new ProtocolException(refusal.Code, refusal.Message);
            if (FrameCodec.TryRead(read.Frame, out T packet)) return packet;
            throw new ProtocolException(ProtocolError.UnexpectedPacket, $"expected {T.Id}, got 0x{read.Frame.Id:X4}");
        }
        finally
        {
            _frames.Advance();
        }
    }

    /// <summary>Round trip to the gateway, or with <paramref name="throughCluster"/> through a grain in the cluster.</summary>
    public async Task<PongPacket> PingAsync(bool throughCluster = false, CancellationToken cancellationToken = default)
    {
        ulong token = (ulong)Interlocked.Increment(ref _nextToken);
        var pending = new TaskCompletionSource<PongPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[token] = pending;
        using var registration = cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        try
        {
            if (Completion.IsCompleted) await Completion;
            await _frames.SendAsync(new PingPacket(token, throughCluster ? PingPacket.ThroughCluster : (byte)0), cancellationToken: cancellationToken);
            return await pending.Task;
        }
        finally
        {
            _pings.TryRemove(token, out _);
        }
    }

    /// <summary>Sends any packet on the session.</summary>
    public async ValueTask SendAsync<T>(T packet, CancellationToken cancellationToken = default) where T : IPacket<T>
    {
        if (!await _frames.SendAsync(packet, cancellationToken: cancellationToken))
            throw new ProtocolException(ProtocolError.Truncated, "the coordinator has closed the connection");
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = await _frames.ReadAsync();
                if (read.Outcome == ReadOutcome.Error) throw new ProtocolException(read.Error, "invalid frame from the coordinator");
                if (read.Outcome != ReadOutcome.Frame) break;
                try
                {
                    Dispatch(read.Frame);
                }
                finally
                {
                    _frames.Advance();
                }
            }
        }
        catch (Exception e) when (e is ProtocolException or IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            failure = e;
        }
        failure ??= new ProtocolException(ProtocolError.Truncated, "the coordinator closed the connection");
        foreach (var pending in _pings.Values) pending.TrySetException(failure);
        _incoming.Writer.TryComplete(failure is ProtocolException { Code: ProtocolError.Truncated } ? null : failure);
        if (failure is ProtocolException { Code: not ProtocolError.Truncated } protocolError) _completion.TrySetException(protocolError);
        else _completion.TrySetResult();
    }

    private void Dispatch(in Frame frame)
    {
        if (FrameCodec.TryRead(frame, out PongPacket pong))
        {
            if (_pings.TryGetValue(pong.Token, out var pending)) pending.TrySetResult(pong);
            return;
        }
        if (FrameCodec.TryRead(frame, out ErrorPacket error)) throw new ProtocolException(error.Code, error.Message);
        if (frame.Id == (ushort)PacketId.KeySet)
        {
            // Handled here, not queued: a session that does not care about keys (players, tests) never sees it.
            if (!FrameCodec.TryRead(frame, out KeySetPacket keySet)) throw new ProtocolException(ProtocolError.Malformed, "malformed KEY_SET from the coordinator");
            _onKeySet?.Invoke(keySet);
            return;
        }
        _incoming.Writer.TryWrite(new ReceivedPacket(frame.Id, frame.Body.ToArray()));
    }

    /// <summary>Says goodbye (BYE) and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Completion.IsCompleted) await _frames.SendAsync(default(ByePacket));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        await DisposeCoreAsync(drain: true);
    }

    /// <summary>PINGs nobody waits for (token 0, which <see cref="PingAsync"/> never uses) until the timer is disposed or a send fails.</summary>
    private async Task KeepAliveLoopAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync() && !Completion.IsCompleted)
                await _frames.SendAsync(new PingPacket(0, 0));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The session is over; the receive loop reports why.
        }
    }

    /// <summary>
    /// Closes without BYE, for a session that failed (silence, a protocol error): BYE tells the coordinator the peer
    /// is leaving for good, and a gateway that was frozen would read it late and act on it — moving a host's maps after
    /// the host had reconnected elsewhere.
    /// </summary>
    public ValueTask AbandonAsync() => new(DisposeCoreAsync(drain: false));

    private async Task DisposeCoreAsync(bool drain)
    {
        _keepAliveTimer?.Dispose();
        await _keepAlive.ConfigureAwait(false);
        if (drain) await _frames.Writer.CompleteAsync(FrameSession.DrainGrace); // what is queued (BYE) leaves before the socket closes
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        await _input.CompleteAsync();
        await _frames.DisposeAsync();
    }
}

/// <summary>A packet the server pushed, as its id and body bytes.</summary>
public sealed record ReceivedPacket(ushort Id, byte[] Body)
{
    /// <summary>Parses the body as <typeparamref name="T"/>; false if the id differs or the body is malformed.</summary>
    public bool TryRead<T>(out T packet) where T : IPacket<T>
    {
        packet = default!;
        return Id == (ushort)T.Id && T.TryRead(new ReadOnlySequence<byte>(Body), out packet);
    }
}
