using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5403 WARP_REQUEST, player → built-in map instance: move the character to <see cref="ToMap"/> with
/// <see cref="State"/>. The built-in instance has no game rules, so it takes the player's word for the state; a real
/// map server decides warps (portals, NPCs) and state itself and only uses MOVE_PLAYER.
/// </summary>
public readonly record struct WarpRequestPacket(string ToMap, CharacterState State) : IPacket<WarpRequestPacket>
{
    public static PacketId Id => PacketId.WarpRequest;
    public int BodyLength => WireText.Size(ToMap) + CharacterState.Size;

    public void WriteBody(Span<byte> d)
    {
        int at = WireText.Write(d, ToMap);
        State.Write(d[at..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out WarpRequestPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!WireText.TryRead(ref r, out string to) || !CharacterState.TryRead(ref r, out var state) || !r.End || !MapNames.IsValid(to)) return false;
        packet = new WarpRequestPacket(to, state);
        return true;
    }
}
