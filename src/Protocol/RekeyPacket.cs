using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>0x5007 REKEY (sealed, either direction): every later frame from the sender uses the next key (docs/protocol.md).</summary>
public readonly record struct RekeyPacket : IPacket<RekeyPacket>
{
    public static PacketId Id => PacketId.Rekey;
    public int BodyLength => 0;
    public void WriteBody(Span<byte> destination) { }
    public static bool TryRead(ReadOnlySequence<byte> body, out RekeyPacket packet) { packet = default; return body.IsEmpty; }
}
