using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// What a character carries from one host to the next (36 bytes on the wire): where it stands on its map and the
/// progress a host saves before handing it over (rAthena <c>char</c> columns). The database proxy writes the same
/// values to rAthena; this copy travels with the player session so the next host starts from the saved state.
/// </summary>
public readonly record struct CharacterState(ushort X, ushort Y, ushort BaseLevel, ushort JobLevel, ulong BaseExp, ulong JobExp, uint Zeny, uint Hp, uint Sp)
{
    public const int Size = 36;

    public void Write(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, X);
        BinaryPrimitives.WriteUInt16LittleEndian(d[2..], Y);
        BinaryPrimitives.WriteUInt16LittleEndian(d[4..], BaseLevel);
        BinaryPrimitives.WriteUInt16LittleEndian(d[6..], JobLevel);
        BinaryPrimitives.WriteUInt64LittleEndian(d[8..], BaseExp);
        BinaryPrimitives.WriteUInt64LittleEndian(d[16..], JobExp);
        BinaryPrimitives.WriteUInt32LittleEndian(d[24..], Zeny);
        BinaryPrimitives.WriteUInt32LittleEndian(d[28..], Hp);
        BinaryPrimitives.WriteUInt32LittleEndian(d[32..], Sp);
    }

    public static bool TryRead(ref SequenceReader<byte> r, out CharacterState state)
    {
        state = default;
        if (!r.TryReadU16(out ushort x) || !r.TryReadU16(out ushort y) || !r.TryReadU16(out ushort baseLevel) || !r.TryReadU16(out ushort jobLevel)
            || !r.TryReadU64(out ulong baseExp) || !r.TryReadU64(out ulong jobExp) || !r.TryReadU32(out uint zeny) || !r.TryReadU32(out uint hp)
            || !r.TryReadU32(out uint sp))
            return false;
        state = new CharacterState(x, y, baseLevel, jobLevel, baseExp, jobExp, zeny, hp, sp);
        return true;
    }
}
