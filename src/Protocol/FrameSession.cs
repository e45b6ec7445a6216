using System.IO.Pipelines;

namespace P2PCluster.Protocol;

/// <summary>
/// One connection's pipeline, used by the gateway, the client library, the host agent and the tools: the
/// <see cref="FrameReader"/> over its input and the batching <see cref="FrameWriter"/> over its output, switched to
/// sealing together. Reading is single-threaded; sending may come from any thread.
/// </summary>
public sealed class FrameSession(PipeReader input, PipeWriter output, int sendQueue = FrameWriter.DefaultCapacity) : IAsyncDisposable
{
    /// <summary>How long <see cref="DisposeAsync"/> lets a peer take what is still queued for it.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    public FrameReader Reader { get; } = new(input);

    public FrameWriter Writer { get; } = new(output, sendQueue);

    /// <summary>
    /// Set once the handshake yields an encrypted channel: the next frame read must be sealed, and packets queued from
    /// now on are sealed (those queued before, such as SERVER_HELLO, still leave plain).
    /// </summary>
    public SecureChannel? Channel
    {
        get => Reader.Channel;
        set
        {
            Reader.Channel = value;
            Writer.Channel = value;
        }
    }

    /// <summary>Largest inbound frame (as on the wire, so including the sealing overhead).</summary>
    public int MaxInboundFrame
    {
        get => Reader.MaxFrame;
        set => Reader.MaxFrame = value;
    }

    /// <inheritdoc cref="FrameReader.ReadAsync"/>
    public ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken = default) => Reader.ReadAsync(cancellationToken);

    /// <inheritdoc cref="FrameReader.Advance"/>
    public void Advance() => Reader.Advance();

    /// <inheritdoc cref="FrameWriter.SendAsync"/>
    public ValueTask<bool> SendAsync<T>(T packet, CancellationToken cancellationToken = default) where T : IPacket<T> =>
        Writer.SendAsync(packet, cancellationToken);

    /// <inheritdoc cref="FrameWriter.RekeyAsync"/>
    public ValueTask<bool> RekeyAsync(CancellationToken cancellationToken = default) => Writer.RekeyAsync(cancellationToken);

    /// <summary>Sends what is queued (within <see cref="DrainGrace"/>), completes the output, and wipes the keys. Does not complete the input.</summary>
    public async ValueTask DisposeAsync()
    {
        await Writer.CompleteAsync(DrainGrace);
        Channel?.Dispose();
    }
}
