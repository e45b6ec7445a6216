using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5101 HEARTBEAT, host → coordinator, every heartbeat interval: measured load (cpu and memory in per-mille of the
/// machine, network in kbit/s) and every map instance with its epoch. The coordinator answers HEARTBEAT_ACK.
/// </summary>
public readonly record struct HeartbeatPacket(uint Sequence, ushort CpuPermille, ushort MemoryPermille, uint NetworkKbps, IReadOnlyList<MapReport> Maps)
    : IPacket<HeartbeatPacket>
{
    /// <summary>At most this many maps in one heartbeat.</summary>
    public const int MaxMaps = 255;

    public static PacketId Id => PacketId.Heartbeat;
    public int BodyLength => 13 + Maps.Sum(m => WireText.Size(m.Map) + 11);

    public void WriteBody(Span<byte> d)
    {
        if (Maps.Count > MaxMaps) throw new ArgumentException($"at most {MaxMaps} maps per heartbeat");
        BinaryPrimitives.WriteUInt32LittleEndian(d, Sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], CpuPermille);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], MemoryPermille);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], NetworkKbps);
        d[12] = (byte)Maps.Count;
        int offset = 13;
        foreach (var map in Maps)
        {
            offset += WireText.Write(d[offset..], map.Map);
            BinaryPrimitives.WriteUInt64LittleEndian(d[offset..], map.Epoch);
            d[offset + 8] = (byte)map.State;
            BinaryPrimitives.WriteUInt16LittleEndian(d[(offset + 9)..], map.Players);
            offset += 11;
        }
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out HeartbeatPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint sequence) || !r.TryReadU16(out ushort cpu) || !r.TryReadU16(out ushort memory)
            || !r.TryReadU32(out uint network) || !r.TryReadU8(out byte count) || cpu > 1000 || memory > 1000)
            return false;
        var maps = new MapReport[count];
        for (int i = 0; i < count; i++)
        {
            if (!WireText.TryRead(ref r, out string map) || !r.TryReadU64(out ulong epoch) || !r.TryReadU8(out byte state)
                || !r.TryReadU16(out ushort players) || !Enum.IsDefined((MapRunState)state) || !MapNames.IsValid(map))
                return false;
            maps[i] = new MapReport(map, epoch, (MapRunState)state, players);
        }
        if (!r.End) return false;
        packet = new HeartbeatPacket(sequence, cpu, memory, network, maps);
        return true;
    }
}
