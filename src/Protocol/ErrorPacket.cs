using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5004 ERROR, either direction: a code and a short UTF-8 message. The sender closes the connection after a fatal one.</summary>
public readonly record struct ErrorPacket(ProtocolError Code, string Message) : IPacket<ErrorPacket>
{
    public static PacketId Id => PacketId.Error;

    /// <summary>The message cut to at most 256 UTF-8 bytes on a character boundary (so it always parses on the other side).</summary>
    private ReadOnlySpan<char> Clipped
    {
        get
        {
            var text = Message.AsSpan();
            int bytes = 0, i = 0;
            while (i < text.Length)
            {
                int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                int size = width == 2 ? 4 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : char.IsSurrogate(text[i]) ? 3 : 3;
                if (bytes + size > ProtocolLimits.MaxErrorMessageBytes) break;
                bytes += size;
                i += width;
            }
            return text[..i];
        }
    }

    public int BodyLength => 4 + Lenient.GetByteCount(Clipped);

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)Code);
        int length = Lenient.GetBytes(Clipped, d[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(d[2..], (ushort)length);
    }

    /// <summary>A lone surrogate in a message is sent as U+FFFD (3 bytes) rather than failing the send.</summary>
    private static readonly System.Text.UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

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
