using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5006 PONG, server → client: the ping's token, the server's clock (Unix ms), and the ping's flags echoed.</summary>
public readonly record struct PongPacket(ulong Token, long ServerTimeMs, byte Flags) : IPacket<PongPacket>
{
    public static PacketId Id => PacketId.Pong;
    public int BodyLength => 17;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(d, Token);
        BinaryPrimitives.WriteInt64LittleEndian(d[8..], ServerTimeMs);
        d[16] = Flags;
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out PongPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU64(out ulong token) || !r.TryReadI64(out long time) || !r.TryReadU8(out byte flags) || !r.End) return false;
        packet = new PongPacket(token, time, flags);
        return true;
    }
}
