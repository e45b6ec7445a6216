using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// One connection's read loop: every complete frame already buffered is one batch, each frame is held to
/// <c>coordinator.max_frames_per_second</c> and handed to the session, and only then are the batch's frames counted,
/// the connection idle again (<see cref="IdleWatch"/>) and the batch finished (<see cref="ISessionFrameHandler.BatchDoneAsync"/>).
/// Ends when the peer closes, a frame breaks the protocol or the rate, the connection is idle too long, or the session says so.
/// </summary>
public sealed class SessionReadLoop(FrameSession frames, IdleWatch idle, GatewayMetrics metrics, int maxFramesPerSecond)
{
    private TokenBucket _bucket = new(maxFramesPerSecond);

    /// <summary>Reads until the connection is to close; the caller then tears the session down.</summary>
    public async Task RunAsync(ISessionFrameHandler session)
    {
        long batch = 0; // frames of the batch being handled
        while (true)
        {
            // No cancellation token: a closed connection completes the pipe, so a partial frame is seen (and counted).
            var read = await frames.ReadAsync();
            if (read.Outcome == ReadOutcome.Canceled)
            {
                if (idle.Expired && !session.CloseRequested)
                {
                    await session.FailAsync(ProtocolError.IdleTimeout, $"no complete frame for {idle.IdleTimeout.TotalMilliseconds:F0} ms");
                    break;
                }
                if (await session.ReadCanceledAsync()) continue;
                break;
            }
            if (read.Outcome == ReadOutcome.Completed)
            {
                if (read.Error != ProtocolError.None) metrics.Reject(read.Error);
                break;
            }
            // Every frame already buffered is handled before the PONGs of its PINGs are awaited (one batch).
            if (batch++ == 0) idle.Busy();
            bool close;
            if (read.Outcome == ReadOutcome.Error)
            {
                await session.FailAsync(read.Error, ProtocolErrorText.Describe(read.Error));
                close = true;
            }
            else if (!_bucket.TryTake())
            {
                await session.FailAsync(ProtocolError.RateLimited, $"more than {maxFramesPerSecond} frames a second");
                close = true;
            }
            else
            {
                close = !await session.HandleAsync(read.Frame);
                frames.Advance();
            }
            if (!close && frames.Reader.HasBufferedFrame) continue;
            metrics.FramesReceived(batch);
            batch = 0;
            idle.Done();
            if (close || session.CloseRequested) break;
            if (!await session.BatchDoneAsync()) break;
        }
    }
}
