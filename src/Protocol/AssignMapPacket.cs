using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5103 ASSIGN_MAP, coordinator → host: run <see cref="Map"/> under <see cref="Epoch"/>. Everything the host later
/// says about the map carries this epoch; the host answers with MAP_STATE once the instance runs (or failed).
/// </summary>
public readonly record struct AssignMapPacket(string Map, ulong Epoch, ushort MaxPlayers) : IPacket<AssignMapPacket>
{
    public static PacketId Id => PacketId.AssignMap;
    public int BodyLength => WireText.Size(Map) + 10;

    public void WriteBody(Span<byte> d)
    {
        int offset = WireText.Write(d, Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[offset..], Epoch);
        BinaryPrimitives.WriteUInt16LittleEndian(d[(offset + 8)..], MaxPlayers);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out AssignMapPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!WireText.TryRead(ref r, out string map) || !r.TryReadU64(out ulong epoch) || !r.TryReadU16(out ushort players) || !r.End || epoch == 0)
            return false;
        packet = new AssignMapPacket(map, epoch, players);
        return true;
    }
}
