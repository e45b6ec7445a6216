using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>One queued "write this" for <see cref="FrameWriter"/>: a packet, sealed under the channel it was queued with.</summary>
internal abstract class FrameWriteItem(SecureChannel? channel)
{
    /// <summary>The channel current when the item was queued (none before the handshake switched to sealing).</summary>
    public SecureChannel? Channel { get; } = channel;

    /// <summary>Writes the item's inner (plaintext) frame.</summary>
    public abstract void WriteFrame(IBufferWriter<byte> output);

    /// <summary>Whether the sending key moves on once this frame is sealed (REKEY).</summary>
    public virtual bool Rekeys => false;
}
