using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5105 MAP_STATE, host → coordinator: an instance changed state; <see cref="Port"/> is where players reach it (0 if not running).</summary>
public readonly record struct MapStatePacket(string Map, ulong Epoch, MapRunState State, ushort Port) : IPacket<MapStatePacket>
{
    public static PacketId Id => PacketId.MapState;
    public int BodyLength => WireText.Size(Map) + 11;

    public void WriteBody(Span<byte> d)
    {
        int offset = WireText.Write(d, Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[offset..], Epoch);
        d[offset + 8] = (byte)State;
        BinaryPrimitives.WriteUInt16LittleEndian(d[(offset + 9)..], Port);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out MapStatePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!WireText.TryRead(ref r, out string map) || !r.TryReadU64(out ulong epoch) || !r.TryReadU8(out byte state)
            || !r.TryReadU16(out ushort port) || !r.End || !Enum.IsDefined((MapRunState)state) || !MapNames.IsValid(map))
            return false;
        packet = new MapStatePacket(map, epoch, (MapRunState)state, port);
        return true;
    }
}
