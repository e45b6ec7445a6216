using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x510A PLAYER_LEFT, host → coordinator: <see cref="CharId"/>, admitted on <see cref="Map"/> under
/// <see cref="Epoch"/>, has left this host without moving elsewhere (logged out, disconnected, idle). The
/// coordinator marks it offline, unless it has since gone somewhere else. No answer.
/// </summary>
public readonly record struct PlayerLeftPacket(uint CharId, string Map, ulong Epoch) : IPacket<PlayerLeftPacket>
{
    public static PacketId Id => PacketId.PlayerLeft;
    public int BodyLength => 4 + WireText.Size(Map) + 8;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d, CharId);
        int at = 4 + WireText.Write(d[4..], Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out PlayerLeftPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU32(out uint character) || !WireText.TryRead(ref r, out string map) || !r.TryReadU64(out ulong epoch) || !r.End
            || !WireDomain.IsCharId(character) || !WireDomain.IsEpoch(epoch) || !MapNames.IsValid(map))
            return false;
        packet = new PlayerLeftPacket(character, map, epoch);
        return true;
    }
}
