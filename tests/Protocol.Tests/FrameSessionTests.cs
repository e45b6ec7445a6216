using System.Buffers;
using System.IO.Pipelines;

namespace P2PCluster.Protocol.Tests;

/// <summary>The sealed channel as the gateway and client use it (writer seals, reader opens): replay, reorder, tamper and rekey.</summary>
public sealed class FrameSessionTests : IAsyncDisposable
{
    private readonly Pipe _wire = new();
    private readonly FrameWriter _sender;
    private readonly FrameReader _receiver;

    public FrameSessionTests()
    {
        var c2s = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var s2c = Enumerable.Range(32, 32).Select(i => (byte)i).ToArray();
        _sender = new FrameWriter(_wire.Writer) { Channel = new SecureChannel(c2s, s2c) };
        _receiver = new FrameReader(new Pipe().Reader) { Channel = new SecureChannel(s2c, c2s), MaxFrame = 1024 };
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.CompleteAsync(TimeSpan.FromSeconds(5));
        _sender.Channel!.Dispose();
        _receiver.Channel!.Dispose();
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
            var receiver = new FrameReader(new Pipe().Reader)
            {
                Channel = new SecureChannel(Enumerable.Range(32, 32).Select(b => (byte)b).ToArray(), Enumerable.Range(0, 32).Select(b => (byte)b).ToArray()),
                MaxFrame = 1024,
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
}
