using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5400 ENTER, player → map instance (the host's map port, plain framing, no handshake): the first frame a player
/// sends, with the ticket from ROUTE. Answered by ENTERED, or by ERROR with the refusal code and a close.
/// </summary>
public readonly record struct EnterPacket(byte[] Ticket) : IPacket<EnterPacket>
{
    public static PacketId Id => PacketId.Enter;
    public int BodyLength => 2 + (Ticket?.Length ?? 0);

    public void WriteBody(Span<byte> d)
    {
        if (Ticket is null || Ticket.Length > Protocol.Ticket.MaxLength) throw new ArgumentException("a ticket is required, and must fit");
        BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)Ticket.Length);
        Ticket.CopyTo(d[2..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out EnterPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU16(out ushort length) || length > Protocol.Ticket.MaxLength || !r.TryReadBytes(length, out var ticket) || !r.End) return false;
        packet = new EnterPacket(ticket);
        return true;
    }

    public bool Equals(EnterPacket other) => (Ticket ?? []).AsSpan().SequenceEqual(other.Ticket ?? []);

    public override int GetHashCode() => Ticket?.Length ?? 0;
}
