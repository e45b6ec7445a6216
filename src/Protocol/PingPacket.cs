using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5005 PING, client → server. With <see cref="ThroughCluster"/> the gateway answers via a grain call, testing the whole path.</summary>
public readonly record struct PingPacket(ulong Token, byte Flags) : IPacket<PingPacket>
{
    public const byte ThroughCluster = 0x01;

    public static PacketId Id => PacketId.Ping;
    public int BodyLength => 9;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(d, Token);
        d[8] = Flags;
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out PingPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU64(out ulong token) || !r.TryReadU8(out byte flags) || !r.End) return false;
        packet = new PingPacket(token, flags);
        return true;
    }
}
