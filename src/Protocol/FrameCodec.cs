using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// rAthena-style framing: u16 LE packet id, u16 LE total length (header included), body. Pure functions over
/// buffers; the header is validated — id known, length within the limit — before a body byte is waited for.
/// </summary>
public static class FrameCodec
{
    public static ParseStatus TryParse(in ReadOnlySequence<byte> input, int maxFrameLength, out Frame frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = input.Start;
        var reader = new SequenceReader<byte>(input);
        if (!reader.TryReadLittleEndian(out short rawId) || !reader.TryReadLittleEndian(out short rawLength))
            return ParseStatus.Incomplete;

        ushort id = (ushort)rawId, length = (ushort)rawLength;
        if (length < ProtocolLimits.HeaderLength) return ParseStatus.Malformed;
        if (!PacketIds.IsDefined(id)) return ParseStatus.UnknownId;
        if (length > maxFrameLength) return ParseStatus.TooLarge;
        if (input.Length < length) return ParseStatus.Incomplete;

        var body = input.Slice(ProtocolLimits.HeaderLength, length - ProtocolLimits.HeaderLength);
        frame = new Frame(id, body);
        consumed = body.End;
        return ParseStatus.Complete;
    }

    /// <summary>Writes a header for a frame whose body is <paramref name="bodyLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, ushort id, int bodyLength)
    {
        int total = ProtocolLimits.HeaderLength + bodyLength;
        if (total > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(bodyLength), $"frame of {total} bytes exceeds 65535");
        BinaryPrimitives.WriteUInt16LittleEndian(destination, id);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)total);
    }

    /// <summary>Writes a whole packet as one frame.</summary>
    public static void Write<T>(IBufferWriter<byte> output, in T packet) where T : IPacket<T>
    {
        int bodyLength = packet.BodyLength;
        int total = ProtocolLimits.HeaderLength + bodyLength;
        var span = output.GetSpan(total)[..total];
        WriteHeader(span, (ushort)T.Id, bodyLength);
        packet.WriteBody(span[ProtocolLimits.HeaderLength..]);
        output.Advance(total);
    }

    /// <summary>A packet as one contiguous frame (handshake transcripts, tests).</summary>
    public static byte[] ToArray<T>(in T packet) where T : IPacket<T>
    {
        var writer = new ArrayBufferWriter<byte>(ProtocolLimits.HeaderLength + packet.BodyLength);
        Write(writer, packet);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a frame's body as <typeparamref name="T"/>; false if the id differs or the body is malformed.</summary>
    public static bool TryRead<T>(in Frame frame, out T packet) where T : IPacket<T>
    {
        packet = default!;
        return frame.Id == (ushort)T.Id && T.TryRead(frame.Body, out packet);
    }
}
