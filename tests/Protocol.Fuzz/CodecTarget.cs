using System.Buffers;
using P2PCluster.Protocol.Rathena;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// Target "codec": <see cref="FrameCodec.TryParse"/> over the input as a stream of frames, every parsed frame read by
/// its packet's codec (<see cref="PacketCheck"/>), and the same bytes as rAthena handoff packets. Input: a shape
/// byte (bit 0 picks the handshake frame limit, bit 7 a multi-segment split), then the wire bytes.
/// </summary>
internal static class CodecTarget
{
    private const int MaxFrames = 64;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        byte shape = input[0];
        byte[] data = input[1..].ToArray();
        var wire = Chunk.Split(data, shape);
        int limit = (shape & 1) == 0 ? ProtocolLimits.DefaultMaxFrame : ProtocolLimits.HandshakeMaxFrame;

        for (int i = 0; i < MaxFrames; i++)
        {
            var status = FrameCodec.TryParse(wire, limit, out var frame, out var consumed);
            if (status != ParseStatus.Complete)
            {
                Finding.Require(consumed.Equals(wire.Start), $"TryParse consumed bytes while answering {status}");
                Finding.Require(status != ParseStatus.Incomplete || wire.Length < ProtocolLimits.HeaderLength || wire.Length < ReadLength(wire),
                    "TryParse answered Incomplete with a whole frame present");
                break;
            }
            Finding.Require(frame.Length <= limit && frame.Length == ReadLength(wire), $"frame of {frame.Length} bytes parsed from a header saying {ReadLength(wire)}");
            PacketCheck.Frame(frame);
            wire = wire.Slice(consumed);
        }
        Handoff(Chunk.Split(data, shape));
    }

    private static int ReadLength(in ReadOnlySequence<byte> wire)
    {
        Span<byte> header = stackalloc byte[ProtocolLimits.HeaderLength];
        wire.Slice(0, ProtocolLimits.HeaderLength).CopyTo(header);
        return header[2] | header[3] << 8;
    }

    /// <summary>The bytes as a char or map server's stream of HC_NOTIFY_ZONESVR / ZC_NPCACK_SERVERMOVE packets.</summary>
    private static void Handoff(ReadOnlySequence<byte> wire)
    {
        var reader = new SequenceReader<byte>(wire);
        for (int i = 0; i < MaxFrames && !reader.End; i++)
        {
            long before = reader.Consumed;
            if (NotifyZoneServerPacket.TryRead(ref reader, out var notify) == ParseStatus.Complete)
                Same(wire, before, Written(notify.Write), nameof(NotifyZoneServerPacket));
            else if (ServerMovePacket.TryRead(ref reader, out var move) == ParseStatus.Complete)
                Same(wire, before, Written(move.Write), nameof(ServerMovePacket));
            else
            {
                Finding.Require(reader.Consumed == before, "a handoff reader moved without reading a packet");
                return;
            }
        }
    }

    private static byte[] Written(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>(RathenaHandoff.ExtendedLength);
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static void Same(in ReadOnlySequence<byte> wire, long at, byte[] written, string type)
    {
        var original = wire.Slice(at, written.Length).ToArray();
        Finding.Require(original.AsSpan().SequenceEqual(written),
            $"{type} read {Convert.ToHexStringLower(original)} but writes {Convert.ToHexStringLower(written)}");
    }
}
