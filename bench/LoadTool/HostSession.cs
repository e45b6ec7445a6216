using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// One connection of a <see cref="SimulatedHost"/>: a raw socket that has done the real host-agent handshake (HELLO,
/// signed SERVER_HELLO checked against the pinned key, IDENTIFY signed with the host's Ed25519 key, WELCOME).
/// Frames go through <see cref="FrameSession"/> (the batching writer, sealed as a real agent seals them, and the frame
/// reader), as in a real agent.
/// </summary>
public sealed class HostSession : IDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly FrameSession _frames;

    private HostSession(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(stream);
        _frames = new FrameSession(_input, PipeWriter.Create(stream));
    }

    /// <summary>When the TCP connection was accepted (<see cref="Stopwatch"/> timestamp).</summary>
    public long ConnectedAt { get; private set; }

    /// <summary>When WELCOME arrived.</summary>
    public long EstablishedAt { get; private set; }

    /// <summary>
    /// Connects and completes the handshake within <see cref="SimulatedHostOptions.HandshakeTimeout"/>. Throws
    /// <see cref="SocketException"/> when the connect fails, <see cref="LoadToolException"/> when the server refuses
    /// (with <see cref="LoadToolException.Refusal"/>) or misbehaves, <see cref="TimeoutException"/> when the handshake
    /// does not finish in time.
    /// </summary>
    public static async Task<HostSession> OpenAsync(SimulatedHostOptions options, ReadOnlyMemory<byte> seed, string endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        var socket = new Socket(options.Gateway.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        HostSession? session = null;
        try
        {
            await socket.ConnectAsync(options.Gateway, timeout.Token);
            session = new HostSession(socket) { ConnectedAt = Stopwatch.GetTimestamp() };
            await session.HandshakeAsync(options, seed, endpoint, timeout.Token);
            session.EstablishedAt = Stopwatch.GetTimestamp();
            return session;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Close(socket, session);
            throw new TimeoutException($"no WELCOME within {options.HandshakeTimeout.TotalSeconds:F0} s");
        }
        catch
        {
            Close(socket, session);
            throw;
        }

        static void Close(Socket socket, HostSession? session)
        {
            if (session is not null) session.Dispose();
            else socket.Dispose();
        }
    }

    private async Task HandshakeAsync(SimulatedHostOptions options, ReadOnlyMemory<byte> seed, string endpoint, CancellationToken cancellationToken)
    {
        using var handshake = new ClientHandshake(PeerRole.HostAgent, [options.CoordinatorKey]);
        await _frames.SendAsync(handshake.CreateHello(), cancellationToken: cancellationToken);
        var serverHello = await ReadHandshakeAsync<ServerHelloPacket>(cancellationToken);
        var error = handshake.Accept(serverHello, out var channel);
        if (error != ProtocolError.None) throw new LoadToolException($"SERVER_HELLO rejected ({error})");
        _frames.Channel = channel;
        // The host key lives only for the handshake: NSec keeps each key in guarded memory, too costly for 10,000 idle hosts.
        using (var identity = SigningIdentity.FromSeed(seed.Span))
            await _frames.SendAsync(handshake.CreateIdentify(identity, options.Kind, endpoint), cancellationToken: cancellationToken);
        var welcome = await ReadHandshakeAsync<WelcomePacket>(cancellationToken);
        _frames.MaxInboundFrame = welcome.MaxFrame + ProtocolLimits.SealOverhead;
    }

    private async Task<T> ReadHandshakeAsync<T>(CancellationToken cancellationToken) where T : IPacket<T>
    {
        var read = await _frames.ReadAsync(cancellationToken);
        if (read.Outcome == ReadOutcome.Error) throw new LoadToolException($"invalid frame from the gateway ({read.Error})");
        if (read.Outcome != ReadOutcome.Frame) throw new LoadToolException("the gateway closed the connection during the handshake");
        using var frame = new FrameLease(_frames);
        if (FrameCodec.TryRead(read.Frame, out T packet)) return packet;
        if (FrameCodec.TryRead(read.Frame, out ErrorPacket refusal)) throw new LoadToolException($"handshake refused with {refusal.Code}: {refusal.Message}") { Refusal = refusal.Code };
        throw new LoadToolException($"expected {T.Id} during the handshake, got 0x{read.Frame.Id:X4}");
    }

    /// <summary>Queues a packet for the writer. False once the peer has gone.</summary>
    public ValueTask<bool> SendAsync<T>(T packet) where T : IPacket<T> => _frames.SendAsync(packet);

    /// <summary>
    /// The next frame (opened), to be released with <see cref="Advance"/>; <see cref="ReadOutcome.Completed"/> when the
    /// peer closed, the socket failed or <paramref name="cancellationToken"/> fired. Throws on an invalid frame.
    /// </summary>
    public async ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        FrameReadResult read;
        try
        {
            read = await _frames.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            return new FrameReadResult(ReadOutcome.Completed);
        }
        if (read.Outcome == ReadOutcome.Error) throw new LoadToolException($"invalid frame from the gateway ({read.Error})");
        return read;
    }

    /// <summary>Releases the frame <see cref="ReadAsync"/> returned.</summary>
    public void Advance() => _frames.Advance();

    /// <summary>Closes at once with a reset (linger 0): no BYE, no FIN, as when the host's process or machine dies.</summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    public void Dispose()
    {
        Abort();
        // Not awaited: the socket is gone, so the writer ends at once (and the reader, if any, by the same reset).
        _ = _frames.DisposeAsync().AsTask();
    }
}
