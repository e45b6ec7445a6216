using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5202 RESOLVE, game client → coordinator after LOGIN_OK: where may <see cref="CharId"/> play <see cref="Map"/> now?
/// Answered by ROUTE or REFUSED carrying the same <see cref="RequestId"/>.
/// </summary>
public readonly record struct ResolvePacket(uint RequestId, uint CharId, string Map) : IPacket<ResolvePacket>
{
    public static PacketId Id => PacketId.Resolve;
    public int BodyLength => 8 + WireText.Size(Map);

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        WireText.Write(d[8..], Map);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out ResolvePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map) || !r.End
            || !WireDomain.IsCharId(character) || !MapNames.IsValid(map))
            return false;
        packet = new ResolvePacket(request, character, map);
        return true;
    }
}
