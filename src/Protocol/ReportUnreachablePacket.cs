using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5205 REPORT_UNREACHABLE, game client → coordinator: the route for <see cref="CharId"/> onto <see cref="Map"/>
/// (host <see cref="HostId"/>, <see cref="Epoch"/>) could not be entered — no connection, a timeout, a reset. The
/// coordinator checks the host, moves the map if the host is gone or enough players report it, and answers ROUTE (a
/// new ticket, to another host when there is one) or REFUSED, with the same <see cref="RequestId"/>.
/// </summary>
public readonly record struct ReportUnreachablePacket(uint RequestId, uint CharId, string Map, string HostId, ulong Epoch) : IPacket<ReportUnreachablePacket>
{
    public static PacketId Id => PacketId.ReportUnreachable;
    public int BodyLength => 8 + WireText.Size(Map) + WireText.Size(HostId) + 8;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        int at = 8 + WireText.Write(d[8..], Map);
        at += WireText.Write(d[at..], HostId);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out ReportUnreachablePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map)
            || !WireText.TryRead(ref r, out string host) || !r.TryReadU64(out ulong epoch) || !r.End
            || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !MapNames.IsValid(map) || !HostIds.IsValid(host))
            return false;
        packet = new ReportUnreachablePacket(request, character, map, host, epoch);
        return true;
    }
}
