using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5106 CLAIM_TICKET, host → coordinator: this host verified a player's ticket offline and asks to admit
/// <see cref="CharId"/> onto <see cref="Map"/> under <see cref="Epoch"/> with the ticket's <see cref="Nonce"/>.
/// Answered by CLAIM_RESULT with the same <see cref="RequestId"/>.
/// </summary>
public readonly record struct ClaimTicketPacket(uint RequestId, uint CharId, string Map, ulong Epoch, byte[] Nonce) : IPacket<ClaimTicketPacket>
{
    public static PacketId Id => PacketId.ClaimTicket;
    public int BodyLength => 8 + WireText.Size(Map) + 8 + Ticket.NonceLength;

    public void WriteBody(Span<byte> d)
    {
        if (Nonce is not { Length: Ticket.NonceLength }) throw new ArgumentException($"nonce must be {Ticket.NonceLength} bytes");
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        Nonce.CopyTo(d[(at + 8)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out ClaimTicketPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !r.TryReadU64(out ulong epoch) || !r.TryReadBytes(Ticket.NonceLength, out var nonce) || !r.End
            || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !MapNames.IsValid(map))
            return false;
        packet = new ClaimTicketPacket(request, character, map, epoch, nonce);
        return true;
    }

    public bool Equals(ClaimTicketPacket other) =>
        (RequestId, CharId, Map, Epoch) == (other.RequestId, other.CharId, other.Map, other.Epoch) && (Nonce ?? []).AsSpan().SequenceEqual(other.Nonce ?? []);

    public override int GetHashCode() => HashCode.Combine(RequestId, CharId, Map, Epoch);
}
