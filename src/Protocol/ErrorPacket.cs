using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5004 ERROR, either direction: a code and a short UTF-8 message. The sender closes the connection after a fatal one.</summary>
public readonly record struct ErrorPacket(ProtocolError Code, string Message) : IPacket<ErrorPacket>
{
    public static PacketId Id => PacketId.Error;

    private ReadOnlySpan<char> Clipped => Message.Length <= 200 ? Message : Message.AsSpan(0, 200);

    public int BodyLength => 4 + ReaderExtensions.Strict.GetByteCount(Clipped);

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)Code);
        int length = ReaderExtensions.Strict.GetBytes(Clipped, d[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(d[2..], (ushort)length);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out ErrorPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU16(out ushort code) || !r.TryReadU16(out ushort length) || length > ProtocolLimits.MaxErrorMessageBytes
            || !r.TryReadUtf8(length, out string message) || !r.End)
            return false;
        packet = new ErrorPacket((ProtocolError)code, message);
        return true;
    }
}
