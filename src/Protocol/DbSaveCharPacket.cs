using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5302 DB_SAVE_CHAR, host → database proxy: save <see cref="Record"/> as <see cref="CharId"/>'s state on
/// <see cref="Map"/> (its <c>last_map</c>), which this host runs under <see cref="Epoch"/>. <see cref="ExpectedVersion"/>
/// is the version the save replaces (from DB_CHAR or the last DB_RESULT); <see cref="Key"/> (16 bytes, unique per save)
/// makes a retried save apply once. Answered by DB_RESULT only once committed (or refused).
/// </summary>
public readonly record struct DbSaveCharPacket(uint RequestId, uint CharId, string Map, ulong Epoch, ulong ExpectedVersion, byte[] Key, CharacterRecord Record)
    : IPacket<DbSaveCharPacket>
{
    public const int KeyLength = 16;

    public static PacketId Id => PacketId.DbSaveChar;
    public int BodyLength => 8 + WireText.Size(Map) + 16 + KeyLength + CharacterRecord.Size;

    public void WriteBody(Span<byte> d)
    {
        if (Key is not { Length: KeyLength }) throw new ArgumentException($"idempotency key must be {KeyLength} bytes");
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(d[(at + 8)..], ExpectedVersion);
        Key.CopyTo(d[(at + 16)..]);
        Record.Write(d[(at + 16 + KeyLength)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out DbSaveCharPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !r.TryReadU64(out ulong epoch) || !r.TryReadU64(out ulong expected) || !r.TryReadBytes(KeyLength, out var key)
            || !CharacterRecord.TryRead(ref r, out var record) || !r.End
            || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !WireDomain.IsSigned64(expected) || !MapNames.IsValid(map))
            return false;
        packet = new DbSaveCharPacket(request, character, map, epoch, expected, key, record);
        return true;
    }

    public bool Equals(DbSaveCharPacket other) =>
        (RequestId, CharId, Map, Epoch, ExpectedVersion, Record) == (other.RequestId, other.CharId, other.Map, other.Epoch, other.ExpectedVersion, other.Record)
        && (Key ?? []).AsSpan().SequenceEqual(other.Key ?? []);

    public override int GetHashCode() => HashCode.Combine(RequestId, CharId, Map, Epoch, ExpectedVersion);
}
