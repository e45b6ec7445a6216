using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5107 CLAIM_RESULT, coordinator → host: <see cref="Code"/> 0 admits the player (of <see cref="AccountId"/>, with
/// the saved <see cref="State"/> the host starts the character from); any other code (§5) refuses it, and the host
/// turns the player away with that code.
/// </summary>
public readonly record struct ClaimResultPacket(uint RequestId, uint CharId, ProtocolError Code, uint AccountId, CharacterState State = default)
    : IPacket<ClaimResultPacket>
{
    public static PacketId Id => PacketId.ClaimResult;
    public int BodyLength => Code == ProtocolError.None ? 14 + CharacterState.Size : 14;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[8..], (ushort)Code);
        BinaryPrimitives.WriteUInt32LittleEndian(d[10..], AccountId);
        if (Code == ProtocolError.None) State.Write(d[14..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out ClaimResultPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !r.TryReadU16(out ushort code)
            || !r.TryReadU32(out uint account) || character == 0 || (code == 0) != (account != 0))
            return false;
        CharacterState state = default;
        if (code == 0 && !CharacterState.TryRead(ref r, out state)) return false;
        if (!r.End) return false;
        packet = new ClaimResultPacket(request, character, (ProtocolError)code, account, state);
        return true;
    }
}
