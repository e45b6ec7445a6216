using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5204 REFUSED, coordinator → game client: the request <see cref="RequestId"/> (0 for LOGIN) failed with
/// <see cref="Code"/> (§5); unlike ERROR, the connection stays open.
/// </summary>
public readonly record struct RefusedPacket(uint RequestId, ProtocolError Code, string Message) : IPacket<RefusedPacket>
{
    public const int MaxMessageBytes = 255;

    public static PacketId Id => PacketId.Refused;
    public int BodyLength => 6 + WireUtf8.Size(WireUtf8.Clip(Message ?? "", MaxMessageBytes));

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], (ushort)Code);
        WireUtf8.Write(d[6..], WireUtf8.Clip(Message ?? "", MaxMessageBytes));
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out RefusedPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU16(out ushort code) || !WireUtf8.TryRead(ref r, MaxMessageBytes, out string message)
            || !r.End || code == 0)
            return false;
        packet = new RefusedPacket(request, (ProtocolError)code, message);
        return true;
    }
}
