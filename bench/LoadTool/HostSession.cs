using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// One connection of a <see cref="SimulatedHost"/>: a raw socket that has done the real host-agent handshake (HELLO,
/// signed SERVER_HELLO checked against the pinned key, IDENTIFY signed with the host's Ed25519 key, WELCOME).
/// Frames go out through <see cref="FrameSession"/> (one serialized writer, sealed as a real agent seals them) and
/// come in through one receive buffer that a single reader drains.
/// </summary>
public sealed class HostSession : IDisposable
{
    private readonly Socket _socket;
    private readonly PipeWriter _output;
    private readonly FrameSession _frames;
    private byte[] _receive = new byte[4096];
    private int _start;
    private int _end;

    private HostSession(Socket socket)
    {
        _socket = socket;
        _output = PipeWriter.Create(new NetworkStream(socket, ownsSocket: false));
        _frames = new FrameSession(_output);
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
        while (true)
        {
            if (TryTakeFrame(out var frame))
            {
                if (FrameCodec.TryRead(frame, out T packet)) return packet;
                if (FrameCodec.TryRead(frame, out ErrorPacket refusal)) throw new LoadToolException($"handshake refused with {refusal.Code}: {refusal.Message}") { Refusal = refusal.Code };
                throw new LoadToolException($"expected {T.Id} during the handshake, got 0x{frame.Id:X4}");
            }
            if (!await ReceiveAsync(cancellationToken)) throw new LoadToolException("the gateway closed the connection during the handshake");
        }
    }

    /// <summary>Writes a packet; with <paramref name="flush"/> false it waits for the next flush. False once the peer has gone.</summary>
    public async ValueTask<bool> SendAsync<T>(T packet, bool flush = true) where T : IPacket<T>
    {
        try
        {
            return await _frames.SendAsync(packet, flush);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask<bool> FlushAsync()
    {
        try
        {
            return await _frames.FlushAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Takes the next whole frame (opened) from what has been received; throws on an invalid frame.</summary>
    public bool TryTakeFrame(out Frame frame)
    {
        var buffer = new ReadOnlySequence<byte>(_receive, _start, _end - _start);
        var outcome = _frames.TryReadFrame(ref buffer, out frame, out var error);
        if (outcome == ReadOutcome.Error) throw new LoadToolException($"invalid frame from the gateway ({error})");
        if (outcome == ReadOutcome.Incomplete) return false;
        _start = _end - (int)buffer.Length;
        return true;
    }

    /// <summary>Reads more bytes from the socket; false when the peer closed it (or it was aborted).</summary>
    public async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _receive.Length)
        {
            if (_start == 0) Array.Resize(ref _receive, 2 * _receive.Length); // one frame bigger than the buffer
            else
            {
                Buffer.BlockCopy(_receive, _start, _receive, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
        }
        try
        {
            int received = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, cancellationToken);
            _end += received;
            return received > 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

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
        _frames.Dispose();
    }
}
