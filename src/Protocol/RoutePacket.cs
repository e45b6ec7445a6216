using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5203 ROUTE, coordinator → game client: connect to <see cref="Endpoint"/> (the host running <see cref="Map"/>
/// under <see cref="Epoch"/>) and present <see cref="Ticket"/> (§8a) before <see cref="ExpiresMs"/>.
/// </summary>
public readonly record struct RoutePacket(
    uint RequestId, uint CharId, string Map, byte HostKind, string HostId, string Endpoint, ulong Epoch, long ExpiresMs, byte[] Ticket)
    : IPacket<RoutePacket>
{
    public static PacketId Id => PacketId.Route;
    public int BodyLength => 9 + WireText.Size(Map) + WireText.Size(HostId) + WireText.Size(Endpoint) + 18 + (Ticket?.Length ?? 0);

    public void WriteBody(Span<byte> d)
    {
        if (Ticket is null || Ticket.Length > Protocol.Ticket.MaxLength) throw new ArgumentException("a ticket is required, and must fit");
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8;
        at += WireText.Write(d[at..], Map);
        d[at++] = HostKind;
        at += WireText.Write(d[at..], HostId);
        at += WireText.Write(d[at..], Endpoint);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(d[(at + 8)..], ExpiresMs);
        BinaryPrimitives.WriteUInt16LittleEndian(d[(at + 16)..], (ushort)Ticket.Length);
        Ticket.CopyTo(d[(at + 18)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out RoutePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !r.TryReadU8(out byte kind) || !WireText.TryRead(ref r, out string host) || !WireText.TryRead(ref r, out string endpoint)
            || !r.TryReadU64(out ulong epoch) || !r.TryReadI64(out long expires) || !r.TryReadU16(out ushort length)
            || length > Protocol.Ticket.MaxLength || !r.TryReadBytes(length, out var ticket) || !r.End
            || character == 0 || epoch == 0 || kind > 1)
            return false;
        packet = new RoutePacket(request, character, map, kind, host, endpoint, epoch, expires, ticket);
        return true;
    }

    /// <summary>The destination and ticket, as MOVE_RESULT and MOVE carry them.</summary>
    public RouteInfo Info => new(Map, HostKind, HostId, Endpoint, Epoch, ExpiresMs, Ticket);

    public bool Equals(RoutePacket other) =>
        (RequestId, CharId, Map, HostKind, HostId, Endpoint, Epoch, ExpiresMs) ==
        (other.RequestId, other.CharId, other.Map, other.HostKind, other.HostId, other.Endpoint, other.Epoch, other.ExpiresMs)
        && (Ticket ?? []).AsSpan().SequenceEqual(other.Ticket ?? []);

    public override int GetHashCode() => HashCode.Combine(RequestId, CharId, Map, Epoch);
}
