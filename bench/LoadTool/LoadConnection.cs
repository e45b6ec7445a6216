using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// One load-generator connection. It sends a batch of PINGs with one flush, reads exactly as many PONGs, and repeats,
/// so a batch of 1 is "one request in flight" and a batch of n is "n pipelined"; or, logged in as a player, one
/// RESOLVE at a time, each awaiting its ROUTE. Frames go through the protocol
/// library's <see cref="FrameSession"/> (sealing and opening cost what a real client pays); the receive side reads
/// the socket straight into one pinned buffer, so the generator adds no per-frame allocation.
/// </summary>
public sealed class LoadConnection : IAsyncDisposable
{
    private const int ReceiveBufferSize = 8 * 1024;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly PipeWriter _output;
    private readonly FrameSession _frames;
    private readonly byte[] _receive = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
    private int _start;
    private int _end;
    private ulong _nextToken;
    private ulong _expectedToken;
    private long _completed;

    private LoadConnection(Socket socket)
    {
        _socket = socket;
        _output = PipeWriter.Create(new NetworkStream(socket, ownsSocket: false));
        _frames = new FrameSession(_output);
    }

    /// <summary>Round trips completed so far; read from another thread while the connection runs.</summary>
    public long Completed => Volatile.Read(ref _completed);

    public static async Task<LoadConnection> OpenAsync(LoadTarget target, CancellationToken cancellationToken)
    {
        Socket? socket = null;
        try
        {
            socket = new Socket(target.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target.Endpoint, cancellationToken);
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            throw new LoadToolException($"connecting to {target.Name} at {target.Endpoint}: {Explain(e)}", e);
        }
        var connection = new LoadConnection(socket);
        if (target.CoordinatorKey is null) return connection;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await connection.HandshakeAsync(target, timeout.Token);
            return connection;
        }
        catch (Exception e)
        {
            await connection.DisposeAsync();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new LoadToolException($"{target.Name}: no handshake within {HandshakeTimeout.TotalSeconds:F0} s (is the server out of file descriptors? see ulimit -n)", e);
            if (e is SocketException s) throw new LoadToolException($"{target.Name}: handshake failed: {Explain(s)}", e);
            throw;
        }
    }

    private async Task HandshakeAsync(LoadTarget target, CancellationToken cancellationToken)
    {
        using var handshake = new ClientHandshake(target.Role, [target.CoordinatorKey!], requireEncryption: target.Encrypted);
        await _frames.SendAsync(handshake.CreateHello(), cancellationToken: cancellationToken);
        var serverHello = await ReadHandshakeAsync<ServerHelloPacket>(target, cancellationToken);
        var error = handshake.Accept(serverHello, out var channel);
        if (error != ProtocolError.None) throw new LoadToolException($"{target.Name}: SERVER_HELLO rejected ({error})");
        if ((channel is not null) != target.Encrypted)
            throw new LoadToolException($"{target.Name}: expected an {(target.Encrypted ? "encrypted" : "unencrypted")} session, the server chose otherwise");
        _frames.Channel = channel;
        await _frames.SendAsync(handshake.CreateIdentify(identity: null), cancellationToken: cancellationToken);
        var welcome = await ReadHandshakeAsync<WelcomePacket>(target, cancellationToken);
        _frames.MaxInboundFrame = welcome.MaxFrame + (channel is null ? 0 : ProtocolLimits.SealOverhead);
    }

    private async Task<T> ReadHandshakeAsync<T>(LoadTarget target, CancellationToken cancellationToken) where T : IPacket<T>
    {
        while (true)
        {
            if (TryTakeFrame(out var frame))
            {
                if (FrameCodec.TryRead(frame, out T packet)) return packet;
                if (FrameCodec.TryRead(frame, out ErrorPacket refusal))
                    throw new LoadToolException($"{target.Name}: handshake refused with {refusal.Code}: {refusal.Message}");
                throw new LoadToolException($"{target.Name}: expected {T.Id} during the handshake, got 0x{frame.Id:X4}");
            }
            await ReceiveAsync(cancellationToken);
        }
    }

    /// <summary>Sends batches of <paramref name="inFlight"/> PINGs until <paramref name="stop"/>, finishing the batch under way.</summary>
    public async Task RunAsync(int inFlight, byte flags, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            for (int i = 0; i < inFlight; i++) await _frames.SendAsync(new PingPacket(_nextToken++, flags), flush: false);
            if (!await _frames.FlushAsync()) throw new LoadToolException("the server closed the connection");
            int pending = inFlight;
            while (true)
            {
                while (pending > 0 && TryTakeFrame(out var frame))
                {
                    OnResponse(frame);
                    pending--;
                }
                if (pending == 0) break;
                await ReceiveAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>LOGIN as a game client (the target's role must be <see cref="PeerRole.GameClient"/>); throws unless LOGIN_OK comes.</summary>
    public async Task LoginAsync(string userId, string password, CancellationToken cancellationToken)
    {
        await _frames.SendAsync(new LoginPacket(userId, password), cancellationToken: cancellationToken);
        var frame = await NextFrameAsync(cancellationToken);
        if (FrameCodec.TryRead(frame, out LoginOkPacket _)) return;
        if (FrameCodec.TryRead(frame, out RefusedPacket refused))
            throw new LoadToolException($"LOGIN as {userId} refused with {refused.Code} ({(ushort)refused.Code}): {refused.Message}");
        throw Unexpected(frame, "LOGIN_OK");
    }

    /// <summary>Resolves <paramref name="charId"/> onto <paramref name="map"/> again and again, one RESOLVE in flight, until <paramref name="stop"/>.</summary>
    public async Task RunResolvesAsync(uint charId, string map, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            uint request = (uint)++_nextToken;
            if (!await _frames.SendAsync(new ResolvePacket(request, charId, map))) throw new LoadToolException("the server closed the connection");
            var frame = await NextFrameAsync(CancellationToken.None);
            if (FrameCodec.TryRead(frame, out RoutePacket route) && route.RequestId == request && route.CharId == charId)
            {
                Volatile.Write(ref _completed, _completed + 1);
                continue;
            }
            if (FrameCodec.TryRead(frame, out RefusedPacket refused))
                throw new LoadToolException($"RESOLVE of char {charId} onto {map} refused with {refused.Code} ({(ushort)refused.Code}): {refused.Message}");
            throw Unexpected(frame, $"ROUTE {request}");
        }
    }

    private async ValueTask<Frame> NextFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeFrame(out var frame)) return frame;
            await ReceiveAsync(cancellationToken);
        }
    }

    private static LoadToolException Unexpected(in Frame frame, string expected) =>
        FrameCodec.TryRead(frame, out ErrorPacket error)
            ? new LoadToolException($"the server sent ERROR {error.Code}: {error.Message}")
            : new LoadToolException($"unexpected packet 0x{frame.Id:X4} instead of {expected}");

    private void OnResponse(in Frame frame)
    {
        if (FrameCodec.TryRead(frame, out PongPacket pong))
        {
            if (pong.Token != _expectedToken) throw new LoadToolException($"PONG {pong.Token} arrived where {_expectedToken} was due");
            _expectedToken++;
            Volatile.Write(ref _completed, _completed + 1);
            return;
        }
        if (FrameCodec.TryRead(frame, out ErrorPacket error)) throw new LoadToolException($"the server sent ERROR {error.Code}: {error.Message}");
        throw new LoadToolException($"unexpected packet 0x{frame.Id:X4} instead of PONG");
    }

    /// <summary>Takes the next whole frame (opened, if sealed) from the receive buffer.</summary>
    private bool TryTakeFrame(out Frame frame)
    {
        var buffer = new ReadOnlySequence<byte>(_receive, _start, _end - _start);
        var outcome = _frames.TryReadFrame(ref buffer, out frame, out var error);
        if (outcome == ReadOutcome.Error) throw new LoadToolException($"invalid frame from the server ({error})");
        if (outcome == ReadOutcome.Incomplete) return false;
        _start = _end - (int)buffer.Length;
        return true;
    }

    private async ValueTask ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _receive.Length)
        {
            if (_start == 0) throw new LoadToolException($"a frame larger than the {ReceiveBufferSize}-byte receive buffer");
            Buffer.BlockCopy(_receive, _start, _receive, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int received = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0) throw new LoadToolException("the server closed the connection");
        _end += received;
    }

    /// <summary>Says BYE (the gateway counts a close without one as a failure) and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _frames.SendAsync(default(ByePacket));
            await _output.CompleteAsync();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone.
        }
        _socket.Dispose();
        _frames.Dispose();
    }

    private static string Explain(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.TooManyOpenSockets =>
            "out of file descriptors (EMFILE): every connection costs two in this process (client and server end); raise `ulimit -n` or lower --connections",
        SocketError.AddressNotAvailable =>
            "out of ephemeral ports (EADDRNOTAVAIL): see /proc/sys/net/ipv4/ip_local_port_range, or lower --connections",
        _ => e.Message,
    };
}
