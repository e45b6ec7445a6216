using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5102 HEARTBEAT_ACK, coordinator → host: the heartbeat's sequence and the coordinator's clock (Unix ms).</summary>
public readonly record struct HeartbeatAckPacket(uint Sequence, long ServerTimeMs) : IPacket<HeartbeatAckPacket>
{
    public static PacketId Id => PacketId.HeartbeatAck;
    public int BodyLength => 12;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], ServerTimeMs);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out HeartbeatAckPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint sequence) || !r.TryReadI64(out long time) || !r.End) return false;
        packet = new HeartbeatAckPacket(sequence, time);
        return true;
    }
}
