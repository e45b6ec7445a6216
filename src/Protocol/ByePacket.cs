using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>0x5008 BYE, client → server: a clean goodbye; the connection closing without it counts as a failure.</summary>
public readonly record struct ByePacket : IPacket<ByePacket>
{
    public static PacketId Id => PacketId.Bye;
    public int BodyLength => 0;
    public void WriteBody(Span<byte> destination) { }
    public static bool TryRead(ReadOnlySequence<byte> body, out ByePacket packet) { packet = default; return body.IsEmpty; }
}
