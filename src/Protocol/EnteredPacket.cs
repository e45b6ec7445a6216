using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5401 ENTERED, map instance → player: admitted; the coordinator has recorded the character on this map, and
/// <see cref="State"/> is what it was saved with (position on this map, progress).
/// </summary>
public readonly record struct EnteredPacket(uint AccountId, uint CharId, string Map, ulong Epoch, CharacterState State = default) : IPacket<EnteredPacket>
{
    public static PacketId Id => PacketId.Entered;
    public int BodyLength => 8 + WireText.Size(Map) + 8 + CharacterState.Size;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, AccountId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        State.Write(d[(at + 8)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out EnteredPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint account) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !r.TryReadU64(out ulong epoch) || !CharacterState.TryRead(ref r, out var state) || !r.End || account == 0 || character == 0 || epoch == 0)
            return false;
        packet = new EnteredPacket(account, character, map, epoch, state);
        return true;
    }
}
