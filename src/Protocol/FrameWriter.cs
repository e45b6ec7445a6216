using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace P2PCluster.Protocol;

/// <summary>
/// The one batching writer of a connection (Orleans <c>Connection</c> shape): senders queue packets, one loop seals
/// and writes everything queued, then flushes once. The queue is bounded: a peer that stops reading holds the flush,
/// the queue fills, and senders wait for room (cancellable) instead of growing memory. A cancelled sender never tears
/// a frame, since frames are only ever written whole by the loop. Once the peer is gone (or the writer completed)
/// sends return false. Any thread may send.
/// </summary>
public sealed class FrameWriter
{
    /// <summary>Packets that may wait in the queue before senders wait for room.</summary>
    public const int DefaultCapacity = 256;

    private readonly PipeWriter _output;
    private readonly Channel<FrameWriteItem> _queue;
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private readonly Task _loop;

    public FrameWriter(PipeWriter output, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _output = output;
        _queue = System.Threading.Channels.Channel.CreateBounded<FrameWriteItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = WriteLoopAsync();
    }

    /// <summary>Set when the handshake switches to sealing: packets queued from then on are sealed, those before are not.</summary>
    public SecureChannel? Channel { get; set; }

    /// <summary>Why the loop ended early, if it did: the transport's exception, or a packet that failed to encode.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Completes when the loop has ended (peer gone, write failed, or completed): later sends return false. Never faults.</summary>
    public Task Completion => _loop;

    /// <summary>
    /// Queues a packet; false if the writer has completed (the peer is gone). Waits only for room in the queue:
    /// <paramref name="cancellationToken"/> cancels that wait, and nothing of the packet is written then.
    /// </summary>
    public ValueTask<bool> SendAsync<T>(T packet, CancellationToken cancellationToken = default) where T : IPacket<T> =>
        EnqueueAsync(new PacketWriteItem<T>(packet, Channel), cancellationToken);

    /// <summary>Moves the sending direction to its next key: REKEY is sealed under the current key, and the frames after it under the next.</summary>
    public ValueTask<bool> RekeyAsync(CancellationToken cancellationToken = default) =>
        Channel is null ? ValueTask.FromResult(true) : SendAsync(default(RekeyPacket), cancellationToken);

    private ValueTask<bool> EnqueueAsync(FrameWriteItem item, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(item)) return ValueTask.FromResult(true);
        return WaitForRoomAsync(item, cancellationToken);
    }

    private async ValueTask<bool> WaitForRoomAsync(FrameWriteItem item, CancellationToken cancellationToken)
    {
        while (await _queue.Writer.WaitToWriteAsync(cancellationToken))
            if (_queue.Writer.TryWrite(item)) return true;
        return false;
    }

    /// <summary>
    /// Stops taking packets, writes and flushes what is queued, and completes the output. A peer that does not read
    /// gets <paramref name="grace"/> to take it; then the flush is cancelled and the rest dropped.
    /// </summary>
    public async Task CompleteAsync(TimeSpan grace)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _output.CancelPendingFlush();
            await _loop;
        }
        try
        {
            await _output.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The transport is gone; nothing left to flush.
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item)) Write(item);
                var flush = await _output.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled) break;
            }
        }
        catch (Exception e)
        {
            // The transport failed (the peer is gone) or a packet could not be encoded: either way the stream cannot
            // go on, and senders learn it from the completed queue.
            Fault = e;
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (reader.TryRead(out _)) { }
        }
    }

    private void Write(FrameWriteItem item)
    {
        if (item.Channel is not { } channel)
        {
            item.WriteFrame(_output);
            return;
        }
        _scratch.ResetWrittenCount();
        item.WriteFrame(_scratch);
        int total = _scratch.WrittenCount + ProtocolLimits.SealOverhead;
        channel.Seal(_scratch.WrittenSpan, _output.GetSpan(total));
        _output.Advance(total);
        if (item.Rekeys) channel.RekeySend();
    }
}
