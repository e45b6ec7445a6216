using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5108 MOVE_PLAYER, host → coordinator: the host running <see cref="FromMap"/> under <see cref="Epoch"/> sends
/// <see cref="CharId"/> to <see cref="ToMap"/>, saving <see cref="State"/> (the destination position and the
/// character's progress) first. Answered by MOVE_RESULT with the same <see cref="RequestId"/>.
/// </summary>
public readonly record struct MovePlayerPacket(uint RequestId, uint CharId, string FromMap, ulong Epoch, string ToMap, CharacterState State)
    : IPacket<MovePlayerPacket>
{
    public static PacketId Id => PacketId.MovePlayer;
    public int BodyLength => 8 + WireText.Size(FromMap) + 8 + WireText.Size(ToMap) + CharacterState.Size;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], FromMap);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        at += 8;
        at += WireText.Write(d[at..], ToMap);
        State.Write(d[at..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out MovePlayerPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string from)
            || !r.TryReadU64(out ulong epoch) || !WireText.TryRead(ref r, out string to) || !CharacterState.TryRead(ref r, out var state)
            || !r.End || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !MapNames.IsValid(from) || !MapNames.IsValid(to))
            return false;
        packet = new MovePlayerPacket(request, character, from, epoch, to, state);
        return true;
    }
}
