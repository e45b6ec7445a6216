using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5402 MOVE, map instance → player: the character is saved and leaves this map; connect to <see cref="Route"/>
/// and ENTER there with its ticket. The host closes this connection after sending it. (A stock rAthena client gets
/// the same route as 0x0092/0x0AC7 from its map server instead.)
/// </summary>
public readonly record struct MovePacket(uint CharId, RouteInfo Route) : IPacket<MovePacket>
{
    public static PacketId Id => PacketId.Move;
    public int BodyLength => 4 + Route.Size;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, CharId);
        Route.Write(d[4..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out MovePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint character) || !RouteInfo.TryRead(ref r, out var route) || !r.End || character == 0) return false;
        packet = new MovePacket(character, route);
        return true;
    }
}
