using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5100 HOST_CAPACITY, host → coordinator, once after WELCOME: what the host offers (host_node.conf).</summary>
public readonly record struct HostCapacityPacket(ushort MaxMaps, ushort MaxPlayers, byte CpuLimitPercent, byte MemoryLimitPercent, uint NetworkLimitMbps)
    : IPacket<HostCapacityPacket>
{
    public static PacketId Id => PacketId.HostCapacity;
    public int BodyLength => 10;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, MaxMaps);
        BinaryPrimitives.WriteUInt16LittleEndian(d[2..], MaxPlayers);
        d[4] = CpuLimitPercent;
        d[5] = MemoryLimitPercent;
        BinaryPrimitives.WriteUInt32LittleEndian(d[6..], NetworkLimitMbps);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out HostCapacityPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU16(out ushort maps) || !r.TryReadU16(out ushort players) || !r.TryReadU8(out byte cpu) || !r.TryReadU8(out byte memory)
            || !r.TryReadU32(out uint network) || !r.End)
            return false;
        if (maps == 0 || players == 0 || cpu is 0 or > 100 || memory is 0 or > 100 || network == 0) return false;
        packet = new HostCapacityPacket(maps, players, cpu, memory, network);
        return true;
    }
}
