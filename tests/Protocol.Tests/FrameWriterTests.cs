using System.Buffers;
using System.IO.Pipelines;

namespace P2PCluster.Protocol.Tests;

/// <summary>The batching writer over a real pipe: one flush per batch, concurrent senders, back-pressure, cancellation, completion.</summary>
public sealed class FrameWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly byte[] C2S = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] S2C = Enumerable.Range(32, 32).Select(i => (byte)i).ToArray();

    /// <summary>Reads PINGs until the writer's side completes; every frame must open (a torn or misordered seal fails).</summary>
    private static async Task<List<ulong>> ReadAllAsync(FrameReader reader)
    {
        var tokens = new List<ulong>();
        for (int i = 0; i < 1_000_000; i++)
        {
            var read = await reader.ReadAsync().AsTask().WaitAsync(Deadline);
            if (read.Outcome == ReadOutcome.Completed) return tokens;
            Assert.Equal((ReadOutcome.Frame, ProtocolError.None), (read.Outcome, read.Error));
            Assert.True(FrameCodec.TryRead(read.Frame, out PingPacket ping));
            tokens.Add(ping.Token);
            reader.Advance();
        }
        throw new InvalidOperationException("more frames than were ever sent");
    }

    [Fact]
    public async Task QueuedPacketsLeaveInOneFlush()
    {
        var wire = new Pipe();
        var counting = new CountingWriter(wire.Writer);
        var writer = new FrameWriter(counting);
        // Held: the loop is inside its first flush until the first packet is read, while 49 more are queued.
        var gate = new TaskCompletionSource();
        counting.Gate = gate.Task;
        Assert.True(await writer.SendAsync(new PingPacket(1, 0)));
        await counting.FlushStarted.WaitAsync(Deadline);
        for (ulong token = 2; token <= 50; token++) Assert.True(await writer.SendAsync(new PingPacket(token, 0)));
        gate.SetResult();
        await writer.CompleteAsync(Deadline);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (ulong)i), await ReadAllAsync(new FrameReader(wire.Reader)));
        Assert.Equal(2, counting.Flushes); // the first packet's, then one for the 49 queued behind it
    }

    [Fact]
    public async Task ConcurrentSendersAllArriveIntactInPerSenderOrder()
    {
        const int senders = 8, packets = 500;
        var wire = new Pipe();
        var writer = new FrameWriter(wire.Writer, capacity: 16) { Channel = new SecureChannel(C2S, S2C) };
        var reader = new FrameReader(wire.Reader) { Channel = new SecureChannel(S2C, C2S), MaxFrame = 1024 };
        var reading = ReadAllAsync(reader);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            for (int i = 0; i < packets; i++)
            {
                Assert.True(await writer.SendAsync(new PingPacket(((ulong)sender << 32) | (uint)i, 0)));
                if (sender == 0 && i % 100 == 99) Assert.True(await writer.RekeyAsync()); // REKEY between others' frames
            }
        }))).WaitAsync(Deadline);
        await writer.CompleteAsync(Deadline);
        var tokens = await reading;
        Assert.Equal(senders * packets, tokens.Count);
        foreach (var group in tokens.GroupBy(t => t >> 32))
            Assert.Equal(Enumerable.Range(0, packets).Select(i => (ulong)i), group.Select(t => t & uint.MaxValue));
    }

    [Fact]
    public async Task PeerThatStopsReadingHoldsSendersAtTheQueueBound()
    {
        var wire = new Pipe();
        var gate = new TaskCompletionSource();
        var held = new CountingWriter(wire.Writer) { Gate = gate.Task }; // a peer that stops reading: the flush does not return
        var writer = new FrameWriter(held, capacity: 4);
        Assert.True(await writer.SendAsync(new PingPacket(1, 0)));
        await held.FlushStarted.WaitAsync(Deadline);
        int accepted = 1;
        ValueTask<bool> send = default;
        for (ulong token = 2; token <= 10_000; token++)
        {
            send = writer.SendAsync(new PingPacket(token, 0));
            if (!send.IsCompleted) break;
            accepted++;
        }
        // Bounded: the packet in the hung flush and a full queue, no more; the next sender waits for room.
        Assert.Equal(1 + 4, accepted);
        var waiting = send.AsTask();
        Assert.False(waiting.IsCompleted);
        gate.SetResult();
        var tokens = ReadAllAsync(new FrameReader(wire.Reader));
        Assert.True(await waiting.WaitAsync(Deadline));
        await writer.CompleteAsync(Deadline);
        Assert.Equal(Enumerable.Range(1, accepted + 1).Select(i => (ulong)i), await tokens);
    }

    [Fact]
    public async Task CancellingWhileWaitingForQueueRoomSendsNothingAndKeepsTheStreamInStep()
    {
        var wire = new Pipe();
        var gate = new TaskCompletionSource();
        var held = new CountingWriter(wire.Writer) { Gate = gate.Task }; // a peer that does not read: the first flush hangs
        var writer = new FrameWriter(held, capacity: 2) { Channel = new SecureChannel(C2S, S2C) };
        Assert.True(await writer.SendAsync(new PingPacket(1, 0)));
        await held.FlushStarted.WaitAsync(Deadline);
        Assert.True(await writer.SendAsync(new PingPacket(2, 0)));
        Assert.True(await writer.SendAsync(new PingPacket(3, 0)));
        var waiting = writer.SendAsync(new PingPacket(4, 0)).AsTask(); // waits for room; it will be sent
        using var cancel = new CancellationTokenSource();
        var cancelled = writer.SendAsync(new PingPacket(999_999, 0), cancel.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.False(cancelled.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));

        gate.SetResult();
        var reading = ReadAllAsync(new FrameReader(wire.Reader) { Channel = new SecureChannel(S2C, C2S), MaxFrame = 1024 });
        Assert.True(await waiting.WaitAsync(Deadline));
        Assert.True(await writer.SendAsync(new PingPacket(5, 0)).AsTask().WaitAsync(Deadline));
        await writer.CompleteAsync(Deadline);
        // Nothing of the cancelled packet was written, and every frame after it still opens: the stream is in step.
        Assert.Equal([1ul, 2ul, 3ul, 4ul, 5ul], await reading);
    }

    [Fact]
    public async Task SendsAfterThePeerHasGoneReportFalse()
    {
        var wire = new Pipe();
        var writer = new FrameWriter(wire.Writer);
        await wire.Reader.CompleteAsync();
        await writer.SendAsync(new PingPacket(1, 0)); // its flush learns that the reader is gone
        await writer.Completion.WaitAsync(Deadline);
        Assert.False(await writer.SendAsync(new PingPacket(2, 0)));
    }

    [Fact]
    public async Task SendsAfterCompletionReportFalseAndQueuedOnesStillLeave()
    {
        var wire = new Pipe();
        var writer = new FrameWriter(wire.Writer);
        for (ulong token = 1; token <= 3; token++) Assert.True(await writer.SendAsync(new PingPacket(token, 0)));
        await writer.CompleteAsync(Deadline);
        Assert.False(await writer.SendAsync(new PingPacket(4, 0)));
        Assert.Equal([1ul, 2ul, 3ul], await ReadAllAsync(new FrameReader(wire.Reader)));
    }

    [Fact]
    public async Task CompletingWhileThePeerDoesNotReadEndsAfterTheGrace()
    {
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));
        var writer = new FrameWriter(wire.Writer, capacity: 4);
        for (ulong token = 1; token <= 8; token++) _ = writer.SendAsync(new PingPacket(token, 0));
        await writer.CompleteAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(Deadline);
        Assert.True(writer.Completion.IsCompleted);
    }

    /// <summary>Counts flushes; the first flush waits for <see cref="Gate"/>, so packets can queue behind it.</summary>
    private sealed class CountingWriter(PipeWriter inner) : PipeWriter
    {
        private readonly TaskCompletionSource _flushStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Gate { get; set; } = Task.CompletedTask;
        public Task FlushStarted => _flushStarted.Task;
        public int Flushes { get; private set; }

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            _flushStarted.TrySetResult();
            await Gate.WaitAsync(cancellationToken);
            return await inner.FlushAsync(cancellationToken);
        }

        public override void Advance(int bytes) => inner.Advance(bytes);
        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
