using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>A queued packet; generic so the packet struct is copied once into the item, not boxed again per write.</summary>
internal sealed class PacketWriteItem<T>(T packet, SecureChannel? channel) : FrameWriteItem(channel) where T : IPacket<T>
{
    public override void WriteFrame(IBufferWriter<byte> output) => FrameCodec.Write(output, packet);

    public override bool Rekeys => T.Id == PacketId.Rekey;
}
