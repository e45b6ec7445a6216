using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5109 MOVE_RESULT, coordinator → host: <see cref="Code"/> 0 means the character was saved and may go to
/// <see cref="Route"/> (hand it to the player: MOVE, or rAthena's 0x0092/0x0AC7); any other code (§5) refuses the
/// move, and the character stays where it is.
/// </summary>
public readonly record struct MoveResultPacket(uint RequestId, uint CharId, ProtocolError Code, RouteInfo? Route) : IPacket<MoveResultPacket>
{
    public static PacketId Id => PacketId.MoveResult;
    public int BodyLength => 10 + (Route?.Size ?? 0);

    public void WriteBody(Span<byte> d)
    {
        if ((Code == ProtocolError.None) != Route.HasValue) throw new ArgumentException("a route exactly when the move succeeded");
        BinaryPrimitives.WriteUInt32LittleEndian(d, RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], CharId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[8..], (ushort)Code);
        Route?.Write(d[10..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out MoveResultPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint request) || !r.TryReadU32(out uint character) || !r.TryReadU16(out ushort code) || character == 0) return false;
        RouteInfo? route = null;
        if (code == 0)
        {
            if (!RouteInfo.TryRead(ref r, out var read)) return false;
            route = read;
        }
        if (!r.End) return false;
        packet = new MoveResultPacket(request, character, (ProtocolError)code, route);
        return true;
    }
}
