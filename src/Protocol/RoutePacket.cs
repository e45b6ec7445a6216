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
    public int BodyLength => 8 + Info.Size;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        Info.Write(d[8..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out RoutePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !RouteInfo.TryRead(ref r, out var route) || !r.End
            || character == 0)
            return false;
        packet = new RoutePacket(request, character, route.Map, route.HostKind, route.HostId, route.Endpoint, route.Epoch, route.ExpiresMs, route.Ticket);
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
