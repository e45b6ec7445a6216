using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5300 DB_LOAD_CHAR, host → database proxy: the saved record of <see cref="CharId"/>, a player this host admitted
/// onto <see cref="Map"/> under <see cref="Epoch"/>. Answered by DB_CHAR with the same <see cref="RequestId"/>.
/// </summary>
public readonly record struct DbLoadCharPacket(uint RequestId, uint CharId, string Map, ulong Epoch) : IPacket<DbLoadCharPacket>
{
    public static PacketId Id => PacketId.DbLoadChar;
    public int BodyLength => 8 + WireText.Size(Map) + 8;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out DbLoadCharPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !r.TryReadU64(out ulong epoch) || !r.End || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !MapNames.IsValid(map))
            return false;
        packet = new DbLoadCharPacket(request, character, map, epoch);
        return true;
    }
}
