using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.IO.Pipelines;
using System.Net.Sockets;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// A byte-level client for hostile-input tests: sends exactly the bytes a test gives it, can run the real
/// handshake and then seal (or mis-seal) frames itself, and reads what the gateway answers.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly FrameReader _reader;
    private SecureChannel? _channel;
    private ClientHandshake? _handshake;

    private RawClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream);
        _reader = new FrameReader(_input) { MaxFrame = ushort.MaxValue };
    }

    /// <summary>Connects, from <paramref name="from"/> when given (any 127.x.y.z is this machine: a test can be many addresses).</summary>
    public static async Task<RawClient> ConnectAsync(IPEndPoint endpoint, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null) socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(endpoint);
        return new RawClient(socket);
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>HELLO → SERVER_HELLO (checked) → channel; leaves IDENTIFY to the test.</summary>
    public async Task HelloAsync(byte[] coordinatorKey, PeerRole role = PeerRole.HostAgent)
    {
        _handshake = new ClientHandshake(role, [coordinatorKey]);
        await SendAsync(FrameCodec.ToArray(_handshake.CreateHello()));
        var reply = await ReadFrameAsync(TimeSpan.FromSeconds(5)) ?? throw new InvalidOperationException("closed during handshake");
        Assert.True(Parse(reply, out ServerHelloPacket serverHello), $"expected SERVER_HELLO, got {Convert.ToHexString(reply)}");
        Assert.Equal(ProtocolError.None, _handshake.Accept(serverHello, out _channel));
        _reader.Channel = _channel;
    }

    /// <summary>The whole handshake; returns WELCOME.</summary>
    public async Task<WelcomePacket> HandshakeAsync(byte[] coordinatorKey, SigningIdentity? identity)
    {
        await HelloAsync(coordinatorKey, identity is null ? PeerRole.GameClient : PeerRole.HostAgent);
        await SendAsync(Seal(Identify(identity)));
        var welcome = await ReadFrameAsync(TimeSpan.FromSeconds(5)) ?? throw new InvalidOperationException("closed during handshake");
        Assert.True(Parse(welcome, out WelcomePacket packet), $"expected WELCOME, got {Convert.ToHexString(welcome)}");
        return packet;
    }

    /// <summary>The whole handshake; <see cref="ProtocolError.None"/> once WELCOME came, else the code of the ERROR that refused it.</summary>
    public async Task<ProtocolError> TryHandshakeAsync(byte[] coordinatorKey, SigningIdentity? identity)
    {
        _handshake = new ClientHandshake(identity is null ? PeerRole.GameClient : PeerRole.HostAgent, [coordinatorKey]);
        await SendAsync(FrameCodec.ToArray(_handshake.CreateHello()));
        var reply = await ReadFrameAsync(TimeSpan.FromSeconds(5)) ?? throw new InvalidOperationException("closed without an answer to HELLO");
        if (Parse(reply, out ErrorPacket refused)) return refused.Code;
        Assert.True(Parse(reply, out ServerHelloPacket serverHello), $"expected SERVER_HELLO, got {Convert.ToHexString(reply)}");
        Assert.Equal(ProtocolError.None, _handshake.Accept(serverHello, out _channel));
        _reader.Channel = _channel;
        await SendAsync(Seal(Identify(identity)));
        var welcome = await ReadFrameAsync(TimeSpan.FromSeconds(5)) ?? throw new InvalidOperationException("closed without an answer to IDENTIFY");
        if (Parse(welcome, out ErrorPacket error)) return error.Code;
        Assert.True(Parse(welcome, out WelcomePacket _), $"expected WELCOME, got {Convert.ToHexString(welcome)}");
        return ProtocolError.None;
    }

    public IdentifyPacket Identify(SigningIdentity? identity, byte hostKind = 0) => _handshake!.CreateIdentify(identity, hostKind, "127.0.0.1:6121");

    /// <summary>Seals a packet with the next client-to-server counter.</summary>
    public byte[] Seal<T>(T packet) where T : IPacket<T>
    {
        var inner = FrameCodec.ToArray(packet);
        var sealedFrame = new byte[inner.Length + ProtocolLimits.SealOverhead];
        _channel!.Seal(inner, sealedFrame);
        return sealedFrame;
    }

    /// <summary>Reads one frame as on the wire (opened if a channel is up); null if the gateway closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        FrameReadResult read;
        try
        {
            read = await _reader.ReadAsync(cts.Token);
        }
        catch (IOException)
        {
            return null; // reset by the peer
        }
        if (read.Outcome == ReadOutcome.Error) throw new InvalidDataException($"bad frame from the gateway: {read.Error}");
        if (read.Outcome != ReadOutcome.Frame) return null;
        var frame = new byte[read.Frame.Length];
        FrameCodec.WriteHeader(frame, read.Frame.Id, frame.Length - ProtocolLimits.HeaderLength);
        read.Frame.Body.CopyTo(frame.AsSpan(ProtocolLimits.HeaderLength));
        _reader.Advance();
        return frame;
    }

    /// <summary>Expects an ERROR with <paramref name="code"/>, then the connection closing.</summary>
    public async Task ExpectErrorThenCloseAsync(ProtocolError code, TimeSpan? timeout = null)
    {
        var frame = await ReadFrameAsync(timeout ?? TimeSpan.FromSeconds(10));
        Assert.NotNull(frame);
        Assert.True(Parse(frame, out ErrorPacket error), $"expected ERROR, got {Convert.ToHexString(frame)}");
        Assert.Equal(code, error.Code);
        await ExpectClosedAsync();
    }

    /// <summary>Like <see cref="ExpectErrorThenCloseAsync"/>, skipping what the gateway pushes first (a host's ASSIGN_MAP).</summary>
    public async Task ExpectErrorAfterPushesThenCloseAsync(ProtocolError code, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (int frames = 0; frames < 100; frames++)
        {
            var left = deadline - DateTime.UtcNow;
            var frame = await ReadFrameAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            Assert.NotNull(frame);
            if (!Parse(frame, out ErrorPacket error)) continue;
            Assert.Equal(code, error.Code);
            await ExpectClosedAsync();
            return;
        }
        Assert.Fail("100 frames and no ERROR");
    }

    public async Task ExpectClosedAsync()
    {
        var next = await ReadFrameAsync(TimeSpan.FromSeconds(10));
        Assert.Null(next);
    }

    public static bool Parse<T>(byte[] frame, out T packet) where T : IPacket<T>
    {
        packet = default!;
        return FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var f, out _) == ParseStatus.Complete
               && FrameCodec.TryRead(f, out packet);
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _handshake?.Dispose();
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
