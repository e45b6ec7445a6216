using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5301 DB_CHAR, database proxy → host: <see cref="Code"/> 0 with the character's saved <see cref="Record"/> and its
/// <see cref="Version"/> (the next save names it as the version it replaces); any other code (§5) refuses the load.
/// </summary>
public readonly record struct DbCharPacket(uint RequestId, uint CharId, ProtocolError Code, ulong Version = 0, CharacterRecord Record = default)
    : IPacket<DbCharPacket>
{
    public static PacketId Id => PacketId.DbChar;
    public int BodyLength => Code == ProtocolError.None ? 18 + CharacterRecord.Size : 18;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[8..], (ushort)Code);
        BinaryPrimitives.WriteUInt64LittleEndian(d[10..], Version);
        if (Code == ProtocolError.None) Record.Write(d[18..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out DbCharPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !r.TryReadU16(out ushort code)
            || !r.TryReadU64(out ulong version) || character == 0)
            return false;
        CharacterRecord record = default;
        if (code == 0 && !CharacterRecord.TryRead(ref r, out record)) return false;
        if (!r.End) return false;
        packet = new DbCharPacket(request, character, (ProtocolError)code, version, record);
        return true;
    }
}
