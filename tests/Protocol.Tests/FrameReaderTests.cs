using System.IO.Pipelines;

namespace P2PCluster.Protocol.Tests;

/// <summary>The one frame read loop over a real pipe: splits, batches, bad headers, REKEY, the end and cancellation.</summary>
public sealed class FrameReaderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static byte[] Pings(int count, ulong first = 1) =>
        Enumerable.Range(0, count).SelectMany(i => FrameCodec.ToArray(new PingPacket(first + (ulong)i, 0))).ToArray();

    private static async Task<ulong> ReadPingAsync(FrameReader reader)
    {
        var read = await reader.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(ReadOutcome.Frame, read.Outcome);
        Assert.True(FrameCodec.TryRead(read.Frame, out PingPacket ping), $"not a PING: 0x{read.Frame.Id:X4}");
        reader.Advance();
        return ping.Token;
    }

    [Fact]
    public async Task FramesSplitAtEveryByteBoundaryAreReadWhole()
    {
        byte[] wire = Pings(3);
        for (int cut = 1; cut < wire.Length; cut++)
        {
            var pipe = new Pipe();
            var reader = new FrameReader(pipe.Reader);
            await pipe.Writer.WriteAsync(wire.AsMemory(0, cut));
            var first = reader.ReadAsync();
            if (cut < wire.Length / 3) Assert.False(first.IsCompleted, $"a frame was returned from {cut} bytes");
            await pipe.Writer.WriteAsync(wire.AsMemory(cut));
            await pipe.Writer.CompleteAsync();
            var read = await first.AsTask().WaitAsync(Deadline);
            Assert.True(FrameCodec.TryRead(read.Frame, out PingPacket ping));
            Assert.Equal(1ul, ping.Token);
            reader.Advance();
            Assert.Equal(2ul, await ReadPingAsync(reader));
            Assert.Equal(3ul, await ReadPingAsync(reader));
            var end = await reader.ReadAsync();
            Assert.Equal((ReadOutcome.Completed, ProtocolError.None), (end.Outcome, end.Error));
        }
    }

    [Fact]
    public async Task ManyFramesInOneReadAreYieldedOneAtATime()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Pings(100));
        for (ulong token = 1; token <= 100; token++)
        {
            Assert.Equal(token, await ReadPingAsync(reader));
            // Every frame of the read is there without waiting; the last one ends the batch.
            Assert.Equal(token < 100, reader.HasBufferedFrame);
        }
        Assert.Equal(100, reader.FramesIn);
    }

    [Theory]
    [InlineData((ushort)PacketId.Ping, (ushort)3, ProtocolError.Malformed)]          // length below the header's
    [InlineData((ushort)0xEEEE, (ushort)8, ProtocolError.UnknownPacket)]
    [InlineData((ushort)PacketId.Ping, (ushort)0xFFFF, ProtocolError.FrameTooLarge)] // refused from the header alone
    public async Task BadHeadersGiveTheirErrorWithoutWaitingForTheBody(ushort id, ushort length, ProtocolError expected)
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader) { MaxFrame = 1024 };
        var header = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header, id);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), length);
        await pipe.Writer.WriteAsync(Pings(1).Concat(header).ToArray());
        Assert.Equal(1ul, await ReadPingAsync(reader));
        var read = await reader.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal((ReadOutcome.Error, expected), (read.Outcome, read.Error));
        Assert.Equal(expected, (await reader.ReadAsync()).Error); // final: a broken stream is not read on
    }

    [Fact]
    public async Task MalformedSealedFrameIsDecryptFailed()
    {
        var pipe = new Pipe();
        var secret = new byte[32];
        var reader = new FrameReader(pipe.Reader) { Channel = new SecureChannel(secret, secret), MaxFrame = 1024 };
        var junk = new byte[40];
        FrameCodec.WriteHeader(junk, (ushort)PacketId.Sealed, junk.Length - ProtocolLimits.HeaderLength);
        await pipe.Writer.WriteAsync(junk);
        var read = await reader.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal((ReadOutcome.Error, ProtocolError.DecryptFailed), (read.Outcome, read.Error));
    }

    [Fact]
    public async Task RekeyMidStreamIsAppliedAndSkipped()
    {
        var pipe = new Pipe();
        var c2s = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var s2c = Enumerable.Range(32, 32).Select(i => (byte)i).ToArray();
        var writer = new FrameWriter(pipe.Writer) { Channel = new SecureChannel(c2s, s2c) };
        var reader = new FrameReader(pipe.Reader) { Channel = new SecureChannel(s2c, c2s), MaxFrame = 1024 };
        for (ulong token = 1; token <= 30; token++)
        {
            Assert.True(await writer.SendAsync(new PingPacket(token, 0)));
            if (token % 7 == 0) Assert.True(await writer.RekeyAsync());
        }
        await writer.CompleteAsync(Deadline);
        for (ulong token = 1; token <= 30; token++) Assert.Equal(token, await ReadPingAsync(reader));
        Assert.Equal(ReadOutcome.Completed, (await reader.ReadAsync()).Outcome);
        Assert.Equal(34, reader.FramesIn); // 30 PINGs and 4 REKEYs as on the wire
    }

    [Fact]
    public async Task StreamEndingInsideAFrameIsTruncated()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        byte[] wire = Pings(2);
        await pipe.Writer.WriteAsync(wire.AsMemory(0, wire.Length - 3));
        await pipe.Writer.CompleteAsync();
        Assert.Equal(1ul, await ReadPingAsync(reader));
        var end = await reader.ReadAsync();
        Assert.Equal((ReadOutcome.Completed, ProtocolError.Truncated), (end.Outcome, end.Error));
    }

    [Fact]
    public async Task CancelledReadIsReportedAndReadingGoesOn()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        var pending = reader.ReadAsync();
        pipe.Reader.CancelPendingRead();
        Assert.Equal(ReadOutcome.Canceled, (await pending.AsTask().WaitAsync(Deadline)).Outcome);
        await pipe.Writer.WriteAsync(Pings(1, first: 9));
        Assert.Equal(9ul, await ReadPingAsync(reader));
    }

    [Fact]
    public async Task ReadingAgainBeforeAdvanceIsRefused()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Pings(2));
        await reader.ReadAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadAsync());
    }
}
