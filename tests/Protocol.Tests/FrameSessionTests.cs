using System.Buffers;
using System.IO.Pipelines;

namespace P2PCluster.Protocol.Tests;

/// <summary>The sealed channel as the gateway and client use it: replay, reorder, tamper and rekey.</summary>
public sealed class FrameSessionTests : IDisposable
{
    private readonly Pipe _wire = new();
    private readonly FrameSession _sender;
    private readonly FrameSession _receiver;

    public FrameSessionTests()
    {
        var c2s = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var s2c = Enumerable.Range(32, 32).Select(i => (byte)i).ToArray();
        _sender = new FrameSession(_wire.Writer) { Channel = new SecureChannel(c2s, s2c) };
        _receiver = new FrameSession(new Pipe().Writer) { Channel = new SecureChannel(s2c, c2s), MaxInboundFrame = 1024 };
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    private async Task<List<byte[]>> SendAsync(params ulong[] tokens)
    {
        var frames = new List<byte[]>();
        foreach (ulong token in tokens)
        {
            await _sender.SendAsync(new PingPacket(token, 0));
            var read = await _wire.Reader.ReadAsync();
            frames.Add(read.Buffer.ToArray());
            _wire.Reader.AdvanceTo(read.Buffer.End);
        }
        return frames;
    }

    private (ReadOutcome, ProtocolError, ulong) Receive(byte[] bytes)
    {
        var buffer = Sequences.Split(bytes, bytes.Length / 2);
        var outcome = _receiver.TryReadFrame(ref buffer, out var frame, out var error);
        ulong token = outcome == ReadOutcome.Frame && FrameCodec.TryRead(frame, out PingPacket ping) ? ping.Token : 0;
        return (outcome, error, token);
    }

    [Fact]
    public async Task FramesOpenInOrder()
    {
        var frames = await SendAsync(1, 2, 3);
        Assert.Equal((ReadOutcome.Frame, ProtocolError.None, 1ul), Receive(frames[0]));
        Assert.Equal((ReadOutcome.Frame, ProtocolError.None, 2ul), Receive(frames[1]));
        Assert.Equal((ReadOutcome.Frame, ProtocolError.None, 3ul), Receive(frames[2]));
    }

    [Fact]
    public async Task ReplayedFrameFailsToOpen()
    {
        var frames = await SendAsync(1, 2);
        Receive(frames[0]);
        Assert.Equal((ReadOutcome.Error, ProtocolError.DecryptFailed, 0ul), Receive(frames[0]));
    }

    [Fact]
    public async Task ReorderedFrameFailsToOpen()
    {
        var frames = await SendAsync(1, 2);
        Assert.Equal((ReadOutcome.Error, ProtocolError.DecryptFailed, 0ul), Receive(frames[1]));
    }

    [Fact]
    public async Task AnyFlippedBitFailsToOpen()
    {
        var frame = (await SendAsync(1))[0];
        for (int i = 4; i < frame.Length; i++)
        {
            var copy = frame.ToArray();
            copy[i] ^= 0x80;
            using var receiver = new FrameSession(new Pipe().Writer)
            {
                Channel = new SecureChannel(Enumerable.Range(32, 32).Select(b => (byte)b).ToArray(), Enumerable.Range(0, 32).Select(b => (byte)b).ToArray()),
                MaxInboundFrame = 1024,
            };
            var buffer = new ReadOnlySequence<byte>(copy);
            Assert.Equal(ReadOutcome.Error, receiver.TryReadFrame(ref buffer, out _, out var error));
            Assert.Equal(ProtocolError.DecryptFailed, error);
        }
    }

    [Fact]
    public async Task PlainFrameOnASealedSessionIsUnexpected()
    {
        var plain = FrameCodec.ToArray(new PingPacket(1, 0));
        Assert.Equal((ReadOutcome.Error, ProtocolError.UnexpectedPacket, 0ul), Receive(plain));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task RekeyMovesBothEndsToTheNextKey()
    {
        var before = await SendAsync(1);
        await _sender.RekeyAsync();
        var rekey = await _wire.Reader.ReadAsync();
        var rekeyFrame = rekey.Buffer.ToArray();
        _wire.Reader.AdvanceTo(rekey.Buffer.End);
        var after = await SendAsync(2);

        Receive(before[0]);
        // REKEY is consumed by the session itself: the next frame returned is the one after it.
        var combined = rekeyFrame.Concat(after[0]).ToArray();
        Assert.Equal((ReadOutcome.Frame, ProtocolError.None, 2ul), Receive(combined));
    }

    [Fact]
    public async Task FrameAfterMissedRekeyFailsToOpen()
    {
        await SendAsync(1);
        await _sender.RekeyAsync();
        var rekey = await _wire.Reader.ReadAsync();
        _wire.Reader.AdvanceTo(rekey.Buffer.End);
        var after = await SendAsync(2);
        Assert.Equal(ProtocolError.DecryptFailed, Receive(after[0]).Item2);
    }

    [Fact]
    public async Task CancellingASendWhoseFrameIsWrittenStillDeliversItWhole()
    {
        // A slow reader: the flush waits on back-pressure after the sealed frame is in the writer.
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 8, resumeWriterThreshold: 4));
        var c2s = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var s2c = Enumerable.Range(32, 32).Select(i => (byte)i).ToArray();
        using var sender = new FrameSession(wire.Writer) { Channel = new SecureChannel(c2s, s2c) };
        using var cancel = new CancellationTokenSource();
        var send = sender.SendAsync(new PingPacket(7, 0), cancellationToken: cancel.Token).AsTask();
        Assert.False(send.IsCompleted);
        await cancel.CancelAsync();
        await Task.Delay(50);
        Assert.False(send.IsCompleted);  // not abandoned half-way: the frame is committed to the stream

        var read = await wire.Reader.ReadAsync();
        var first = read.Buffer.ToArray();
        wire.Reader.AdvanceTo(read.Buffer.End);
        Assert.True(await send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((ReadOutcome.Frame, ProtocolError.None, 7ul), Receive(first));

        // ...and the stream stays in step for the next frame.
        var next = sender.SendAsync(new PingPacket(8, 0)).AsTask();
        read = await wire.Reader.ReadAsync();
        var second = read.Buffer.ToArray();
        wire.Reader.AdvanceTo(read.Buffer.End);
        await next;
        Assert.Equal((ReadOutcome.Frame, ProtocolError.None, 8ul), Receive(second));
    }

    [Fact]
    public async Task CancellingWhileWaitingForTheWriterSendsNothing()
    {
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 8, resumeWriterThreshold: 4));
        using var sender = new FrameSession(wire.Writer);
        var blocking = sender.SendAsync(new PingPacket(1, 0)).AsTask();   // holds the writer until read
        using var cancel = new CancellationTokenSource();
        var queued = sender.SendAsync(new PingPacket(2, 0), cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        var read = await wire.Reader.ReadAsync();
        int length = (int)read.Buffer.Length;
        wire.Reader.AdvanceTo(read.Buffer.End);
        await blocking;
        Assert.False(wire.Reader.TryRead(out _));   // only the first frame was ever written
        Assert.True(length > 0);
    }
}
