using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5303 DB_RESULT, database proxy → host: the outcome of DB_SAVE_CHAR or DB_SET_ONLINE. <see cref="Code"/> 0: committed,
/// and <see cref="Version"/> is the character's version now; any other code (§5) refused it, nothing was written.
/// </summary>
public readonly record struct DbResultPacket(uint RequestId, uint CharId, ProtocolError Code, ulong Version) : IPacket<DbResultPacket>
{
    public static PacketId Id => PacketId.DbResult;
    public int BodyLength => 18;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[8..], (ushort)Code);
        BinaryPrimitives.WriteUInt64LittleEndian(d[10..], Version);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out DbResultPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !r.TryReadU16(out ushort code)
            || !r.TryReadU64(out ulong version) || !r.End || character == 0)
            return false;
        packet = new DbResultPacket(request, character, (ProtocolError)code, version);
        return true;
    }
}
