using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// Where a character goes and the ticket that lets it in: the part ROUTE, MOVE_RESULT and MOVE share (map, host kind,
/// host id, endpoint, epoch, expiry, ticket; docs/protocol.md §4).
/// </summary>
public readonly record struct RouteInfo(string Map, byte HostKind, string HostId, string Endpoint, ulong Epoch, long ExpiresMs, byte[] Ticket)
{
    public int Size => WireText.Size(Map) + 1 + WireText.Size(HostId) + WireText.Size(Endpoint) + 18 + (Ticket?.Length ?? 0);

    public int Write(Span<byte> d)
    {
        if (Ticket is null || Ticket.Length > Protocol.Ticket.MaxLength) throw new ArgumentException("a ticket is required, and must fit");
        int at = WireText.Write(d, Map);
        d[at++] = HostKind;
        at += WireText.Write(d[at..], HostId);
        at += WireText.Write(d[at..], Endpoint);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(d[(at + 8)..], ExpiresMs);
        BinaryPrimitives.WriteUInt16LittleEndian(d[(at + 16)..], (ushort)Ticket.Length);
        Ticket.CopyTo(d[(at + 18)..]);
        return at + 18 + Ticket.Length;
    }

    public static bool TryRead(ref SequenceReader<byte> r, out RouteInfo route)
    {
        route = default;
        if (!WireText.TryRead(ref r, out string map) || !r.TryReadU8(out byte kind) || !WireText.TryRead(ref r, out string host)
            || !WireText.TryRead(ref r, out string endpoint) || !r.TryReadU64(out ulong epoch) || !r.TryReadI64(out long expires)
            || !r.TryReadU16(out ushort length) || length > Protocol.Ticket.MaxLength || !r.TryReadBytes(length, out var ticket)
            || epoch == 0 || kind > 1)
            return false;
        route = new RouteInfo(map, kind, host, endpoint, epoch, expires, ticket);
        return true;
    }

    public bool Equals(RouteInfo other) =>
        (Map, HostKind, HostId, Endpoint, Epoch, ExpiresMs) == (other.Map, other.HostKind, other.HostId, other.Endpoint, other.Epoch, other.ExpiresMs)
        && (Ticket ?? []).AsSpan().SequenceEqual(other.Ticket ?? []);

    public override int GetHashCode() => HashCode.Combine(Map, HostId, Epoch);
}
