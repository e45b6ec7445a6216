using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// One load-generator connection. It sends a batch of PINGs with one flush, reads exactly as many PONGs, and repeats,
/// so a batch of 1 is "one request in flight" and a batch of n is "n pipelined"; or, logged in as a player, one
/// RESOLVE at a time, each awaiting its ROUTE. Frames go through the protocol library's <see cref="FrameSession"/>
/// (its reader and batching writer; sealing and opening cost what a real client pays).
/// </summary>
public sealed class LoadConnection : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly FrameSession _frames;
    private ulong _nextToken;
    private ulong _expectedToken;
    private long _completed;
    private long _freshTickets;
    private readonly Dictionary<uint, long> _lastExpiry = [];

    private LoadConnection(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(stream);
        _frames = new FrameSession(_input, PipeWriter.Create(stream));
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
        var frame = await NextFrameAsync(cancellationToken);
        using var lease = new FrameLease(_frames);
        if (FrameCodec.TryRead(frame, out T packet)) return packet;
        if (FrameCodec.TryRead(frame, out ErrorPacket refusal))
            throw new LoadToolException($"{target.Name}: handshake refused with {refusal.Code}: {refusal.Message}");
        throw new LoadToolException($"{target.Name}: expected {T.Id} during the handshake, got 0x{frame.Id:X4}");
    }

    /// <summary>Sends batches of <paramref name="inFlight"/> PINGs until <paramref name="stop"/>, finishing the batch under way.</summary>
    public async Task RunAsync(int inFlight, byte flags, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // Queued at once, so the writer seals the batch and flushes it once.
            for (int i = 0; i < inFlight; i++)
                if (!await _frames.SendAsync(new PingPacket(_nextToken++, flags))) throw new LoadToolException("the server closed the connection");
            for (int pending = inFlight; pending > 0; pending--)
            {
                var frame = await NextFrameAsync(CancellationToken.None);
                OnResponse(frame);
                _frames.Advance();
            }
        }
    }

    /// <summary>LOGIN as a game client (the target's role must be <see cref="PeerRole.GameClient"/>); throws unless LOGIN_OK comes.</summary>
    public async Task LoginAsync(string userId, string password, CancellationToken cancellationToken)
    {
        await _frames.SendAsync(new LoginPacket(userId, password), cancellationToken: cancellationToken);
        var frame = await NextFrameAsync(cancellationToken);
        using var lease = new FrameLease(_frames);
        if (FrameCodec.TryRead(frame, out LoginOkPacket _)) return;
        if (FrameCodec.TryRead(frame, out RefusedPacket refused))
            throw new LoadToolException($"LOGIN as {userId} refused with {refused.Code} ({(ushort)refused.Code}): {refused.Message}");
        throw Unexpected(frame, "LOGIN_OK");
    }

    /// <summary>Resolves <paramref name="charId"/> onto <paramref name="map"/> again and again, one RESOLVE in flight, until <paramref name="stop"/>.</summary>
    /// <summary>
    /// RESOLVEs onto <paramref name="map"/>, one in flight, for each of <paramref name="charIds"/> in turn, until
    /// <paramref name="stop"/>. A ROUTE whose ticket expiry differs from the one this character got last counts as a
    /// fresh ticket (<see cref="FreshTickets"/>); the same expiry means the outstanding ticket came back.
    /// </summary>
    public async Task RunResolvesAsync(uint[] charIds, string map, CancellationToken stop)
    {
        for (int next = 0; !stop.IsCancellationRequested; next = (next + 1) % charIds.Length)
        {
            uint charId = charIds[next];
            uint request = (uint)++_nextToken;
            if (!await _frames.SendAsync(new ResolvePacket(request, charId, map))) throw new LoadToolException("the server closed the connection");
            var frame = await NextFrameAsync(CancellationToken.None);
            using var lease = new FrameLease(_frames);
            if (FrameCodec.TryRead(frame, out RoutePacket route) && route.RequestId == request && route.CharId == charId)
            {
                ref long last = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastExpiry, charId, out _);
                if (route.ExpiresMs != last) Interlocked.Increment(ref _freshTickets);
                last = route.ExpiresMs;
                Volatile.Write(ref _completed, _completed + 1);
                continue;
            }
            if (FrameCodec.TryRead(frame, out RefusedPacket refused))
                throw new LoadToolException($"RESOLVE of char {charId} onto {map} refused with {refused.Code} ({(ushort)refused.Code}): {refused.Message}");
            throw Unexpected(frame, $"ROUTE {request}");
        }
    }

    /// <summary>ROUTEs so far that carried a ticket other than the one the character had (see <see cref="RunResolvesAsync"/>).</summary>
    public long FreshTickets => Interlocked.Read(ref _freshTickets);

    /// <summary>The next frame (opened, if sealed); the caller releases it with <see cref="FrameSession.Advance"/>.</summary>
    private async ValueTask<Frame> NextFrameAsync(CancellationToken cancellationToken)
    {
        var read = await _frames.ReadAsync(cancellationToken);
        if (read.Outcome == ReadOutcome.Error) throw new LoadToolException($"invalid frame from the server ({read.Error})");
        if (read.Outcome != ReadOutcome.Frame) throw new LoadToolException("the server closed the connection");
        return read.Frame;
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

    /// <summary>Says BYE (the gateway counts a close without one as a failure) and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _frames.SendAsync(default(ByePacket));
        await _frames.Writer.CompleteAsync(FrameSession.DrainGrace);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        _socket.Dispose();
        await _input.CompleteAsync();
        await _frames.DisposeAsync();
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
