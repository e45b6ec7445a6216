using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>One agent connection as the stand-in gateway sees it.</summary>
public sealed class TestSession(Socket socket, TestCoordinator coordinator)
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly List<(ushort Id, byte[] Body)> _received = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FrameSession? _frames;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string HostId { get; private set; } = "";
    public IdentifyPacket Identify { get; private set; }
    public bool ByeReceived { get; private set; }

    /// <summary>When (<see cref="System.Diagnostics.Stopwatch"/> timestamp) the last HEARTBEAT_ACK was sent.</summary>
    public long LastAckSentAt => Interlocked.Read(ref _lastAckSentAt);

    private long _lastAckSentAt;

    /// <summary>Completes when the agent's connection is gone.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Every packet of type <typeparamref name="T"/> the agent sent after WELCOME, in order.</summary>
    public IReadOnlyList<T> All<T>() where T : IPacket<T>
    {
        lock (_received)
            return _received.Where(p => p.Id == (ushort)T.Id)
                .Select(p => T.TryRead(new ReadOnlySequence<byte>(p.Body), out var packet) ? packet : throw new InvalidDataException($"bad {T.Id} body"))
                .ToList();
    }

    /// <summary>Waits until the agent has sent a <typeparamref name="T"/> matching <paramref name="match"/> (looking at everything it sent so far).</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout) where T : IPacket<T>
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_received) changed = _changed.Task;
            foreach (var packet in All<T>())
                if (match(packet)) return packet;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || Closed.IsCompleted && changed.IsCompleted)
                throw new TimeoutException($"no matching {T.Id} within {timeout}; received: {Describe()}");
            await Task.WhenAny(changed, Closed, Task.Delay(left));
        }
    }

    public string Describe()
    {
        lock (_received) return string.Join(", ", _received.Select(p => ((PacketId)p.Id).ToString()));
    }

    public async Task SendAsync<T>(T packet) where T : IPacket<T>
    {
        if (!await _frames!.SendAsync(packet)) throw new IOException("the agent has gone");
    }

    /// <summary>Ends the connection without a word, as a crashed gateway would.</summary>
    public void Abort()
    {
        try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        socket.Dispose();
    }

    internal async Task RunAsync(CancellationToken stopping)
    {
        var input = PipeReader.Create(_stream);
        _frames = new FrameSession(input, PipeWriter.Create(_stream));
        using var handshake = coordinator.NewHandshake();
        bool established = false, identified = false;
        try
        {
            while (!ByeReceived)
            {
                var read = await _frames.ReadAsync(stopping);
                if (read.Outcome == ReadOutcome.Error) throw new InvalidDataException($"bad frame from the agent: {read.Error}");
                if (read.Outcome != ReadOutcome.Frame) break;
                using var lease = new FrameLease(_frames);
                var frame = read.Frame;
                if (!identified && FrameCodec.TryRead(frame, out HelloPacket hello))
                {
                    if (handshake.Accept(hello, out var reply, out var channel) != ProtocolError.None) return;
                    await _frames.SendAsync(reply);
                    _frames.Channel = channel;
                }
                else if (!identified && FrameCodec.TryRead(frame, out IdentifyPacket identify))
                {
                    identified = true;
                    if (handshake.Verify(identify) != ProtocolError.None) return;
                    if (coordinator.RefuseWith != ProtocolError.None)
                    {
                        await _frames.SendAsync(new ErrorPacket(coordinator.RefuseWith, "refused by the test coordinator"));
                        return;
                    }
                    Identify = identify;
                    HostId = HandshakeCrypto.HostId(identify.PublicKey.Span);
                    await _frames.SendAsync(new WelcomePacket(42, ProtocolLimits.DefaultMaxFrame, 3600, HostId));
                    _frames.MaxInboundFrame = ProtocolLimits.DefaultMaxFrame + ProtocolLimits.SealOverhead;
                    established = true;
                    coordinator.Established(this);
                }
                else if (established) await OnPacketAsync(frame.Id, frame.Body.ToArray());
                else throw new InvalidDataException($"unexpected 0x{frame.Id:X4} during the handshake");
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
        }
        finally
        {
            await _frames.Writer.CompleteAsync(FrameSession.DrainGrace); // an ERROR refusing the agent leaves before the close
            Abort();
            await input.CompleteAsync();
            _closed.TrySetResult();
            lock (_received) _changed.TrySetResult();
        }
    }

    private async Task OnPacketAsync(ushort id, byte[] body)
    {
        var sequence = new ReadOnlySequence<byte>(body);
        if (id == (ushort)PacketId.Ping && PingPacket.TryRead(sequence, out var ping))
        {
            await _frames!.SendAsync(new PongPacket(ping.Token, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ping.Flags));
            return;
        }
        if (id == (ushort)PacketId.Bye) ByeReceived = true;
        lock (_received)
        {
            _received.Add((id, body));
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
        if (id == (ushort)PacketId.Heartbeat && coordinator.Acknowledge && HeartbeatPacket.TryRead(sequence, out var heartbeat))
        {
            await _frames!.SendAsync(new HeartbeatAckPacket(heartbeat.Sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            Interlocked.Exchange(ref _lastAckSentAt, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        if (id == (ushort)PacketId.ClaimTicket && ClaimTicketPacket.TryRead(sequence, out var claim) && coordinator.AnswerClaim(claim) is { } result)
            await _frames!.SendAsync(result);
    }
}
