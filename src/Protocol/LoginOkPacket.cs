using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5201 LOGIN_OK, coordinator → game client: the account and its characters (at most 255).</summary>
public readonly record struct LoginOkPacket(uint AccountId, byte Sex, IReadOnlyList<CharacterEntry> Characters) : IPacket<LoginOkPacket>
{
    public static PacketId Id => PacketId.LoginOk;
    public int BodyLength => 6 + (Characters ?? []).Sum(c => 13 + WireUtf8.Size(c.Name) + WireText.Size(c.LastMap));

    public void WriteBody(Span<byte> d)
    {
        var characters = Characters ?? [];
        if (characters.Count > byte.MaxValue) throw new ArgumentException("at most 255 characters");
        BinaryPrimitives.WriteUInt32LittleEndian(d, AccountId);
        d[4] = Sex;
        d[5] = (byte)characters.Count;
        int at = 6;
        foreach (var c in characters)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d[at..], c.CharId);
            d[at + 4] = c.Slot;
            BinaryPrimitives.WriteUInt16LittleEndian(d[(at + 5)..], c.Class);
            BinaryPrimitives.WriteUInt16LittleEndian(d[(at + 7)..], c.BaseLevel);
            at += 9;
            at += WireUtf8.Write(d[at..], c.Name, CharacterEntry.MaxNameBytes);
            at += WireText.Write(d[at..], c.LastMap);
            BinaryPrimitives.WriteUInt16LittleEndian(d[at..], c.X);
            BinaryPrimitives.WriteUInt16LittleEndian(d[(at + 2)..], c.Y);
            at += 4;
        }
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out LoginOkPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint account) || !r.TryReadU8(out byte sex) || !r.TryReadU8(out byte count) || account == 0) return false;
        var characters = new CharacterEntry[count];
        for (int i = 0; i < count; i++)
        {
            if (!r.TryReadU32(out uint id) || !r.TryReadU8(out byte slot) || !r.TryReadU16(out ushort cls) || !r.TryReadU16(out ushort level)
                || !WireUtf8.TryRead(ref r, CharacterEntry.MaxNameBytes, out string name) || !WireText.TryRead(ref r, out string map)
                || !r.TryReadU16(out ushort x) || !r.TryReadU16(out ushort y) || id == 0)
                return false;
            characters[i] = new CharacterEntry(id, slot, cls, level, name, map, x, y);
        }
        if (!r.End) return false;
        packet = new LoginOkPacket(account, sex, characters);
        return true;
    }

    public bool Equals(LoginOkPacket other) =>
        AccountId == other.AccountId && Sex == other.Sex && (Characters ?? []).SequenceEqual(other.Characters ?? []);

    public override int GetHashCode() => HashCode.Combine(AccountId, Sex, (Characters ?? []).Count);
}
