using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5304 DB_SET_ONLINE, host → database proxy: mark <see cref="CharId"/> online (1) or offline (0) in rAthena's
/// <c>char.online</c>, for a player on <see cref="Map"/> under <see cref="Epoch"/>. <see cref="Key"/> as in
/// DB_SAVE_CHAR. Answered by DB_RESULT.
/// </summary>
public readonly record struct DbSetOnlinePacket(uint RequestId, uint CharId, string Map, ulong Epoch, bool Online, byte[] Key) : IPacket<DbSetOnlinePacket>
{
    public static PacketId Id => PacketId.DbSetOnline;
    public int BodyLength => 8 + WireText.Size(Map) + 9 + DbSaveCharPacket.KeyLength;

    public void WriteBody(Span<byte> d)
    {
        if (Key is not { Length: DbSaveCharPacket.KeyLength }) throw new ArgumentException($"idempotency key must be {DbSaveCharPacket.KeyLength} bytes");
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        d[at + 8] = Online ? (byte)1 : (byte)0;
        Key.CopyTo(d[(at + 9)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out DbSetOnlinePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !r.TryReadU64(out ulong epoch) || !r.TryRead(out byte online) || online > 1
            || !r.TryReadBytes(DbSaveCharPacket.KeyLength, out var key) || !r.End
            || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !MapNames.IsValid(map))
            return false;
        packet = new DbSetOnlinePacket(request, character, map, epoch, online == 1, key);
        return true;
    }

    public bool Equals(DbSetOnlinePacket other) =>
        (RequestId, CharId, Map, Epoch, Online) == (other.RequestId, other.CharId, other.Map, other.Epoch, other.Online)
        && (Key ?? []).AsSpan().SequenceEqual(other.Key ?? []);

    public override int GetHashCode() => HashCode.Combine(RequestId, CharId, Map, Epoch, Online);
}
