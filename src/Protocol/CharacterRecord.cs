using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// The character columns the database proxy loads and saves (64 bytes on the wire), named as in rAthena's
/// <c>char</c> table; the map (<c>last_map</c>) travels beside it in the packet. Inventory and storage will have
/// their own records and packets (docs/protocol.md §9).
/// </summary>
public readonly record struct CharacterRecord(
    ushort X, ushort Y, ushort BaseLevel, ushort JobLevel, ulong BaseExp, ulong JobExp, uint Zeny,
    ushort Str, ushort Agi, ushort Vit, ushort Int, ushort Dex, ushort Luk,
    uint StatusPoint, uint SkillPoint, uint Hp, uint MaxHp, uint Sp, uint MaxSp)
{
    public const int Size = 64;

    public void Write(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, X);
        BinaryPrimitives.WriteUInt16LittleEndian(d[2..], Y);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], BaseLevel);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], JobLevel);
        BinaryPrimitives.WriteUInt64LittleEndian(d[8..], BaseExp);
        BinaryPrimitives.WriteUInt64LittleEndian(d[16..], JobExp);
        BinaryPrimitives.WriteUInt32LittleEndian(d[24..], Zeny);
        BinaryPrimitives.WriteUInt16LittleEndian(d[28..], Str);
        BinaryPrimitives.WriteUInt16LittleEndian(d[30..], Agi);
        BinaryPrimitives.WriteUInt16LittleEndian(d[32..], Vit);
        BinaryPrimitives.WriteUInt16LittleEndian(d[34..], Int);
        BinaryPrimitives.WriteUInt16LittleEndian(d[36..], Dex);
        BinaryPrimitives.WriteUInt16LittleEndian(d[38..], Luk);
        BinaryPrimitives.WriteUInt32LittleEndian(d[40..], StatusPoint);
        BinaryPrimitives.WriteUInt32LittleEndian(d[44..], SkillPoint);
        BinaryPrimitives.WriteUInt32LittleEndian(d[48..], Hp);
        BinaryPrimitives.WriteUInt32LittleEndian(d[52..], MaxHp);
        BinaryPrimitives.WriteUInt32LittleEndian(d[56..], Sp);
        BinaryPrimitives.WriteUInt32LittleEndian(d[60..], MaxSp);
    }

    public static bool TryRead(ref SequenceReader<byte> r, out CharacterRecord record)
    {
        record = default;
        if (r.Remaining < Size) return false;
        Span<byte> b = stackalloc byte[Size];
        r.TryCopyTo(b);
        r.Advance(Size);
        record = new CharacterRecord(
            BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[4..]), BinaryPrimitives.ReadUInt16LittleEndian(b[6..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), BinaryPrimitives.ReadUInt64LittleEndian(b[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[28..]), BinaryPrimitives.ReadUInt16LittleEndian(b[30..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[32..]), BinaryPrimitives.ReadUInt16LittleEndian(b[34..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[36..]), BinaryPrimitives.ReadUInt16LittleEndian(b[38..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[40..]), BinaryPrimitives.ReadUInt32LittleEndian(b[44..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[48..]), BinaryPrimitives.ReadUInt32LittleEndian(b[52..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[56..]), BinaryPrimitives.ReadUInt32LittleEndian(b[60..]));
        return true;
    }
}
