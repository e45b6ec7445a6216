using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// A handler of <typeparamref name="TPacket"/>: the codec parses the body and checks its wire domain (names, integer
/// ranges), so a handler sees only valid packets; anything else is Malformed ("malformed NAME") and a close.
/// </summary>
public abstract class PacketHandler<TPacket> : IPacketHandler where TPacket : IPacket<TPacket>
{
    private readonly string _malformed;

    protected PacketHandler(SessionRole roles, string? malformed = null)
    {
        Roles = roles;
        _malformed = malformed ?? $"malformed {WireName(TPacket.Id)}";
    }

    public PacketId Id => TPacket.Id;

    public SessionRole Roles { get; }

    public virtual ValueTask<bool> HandleAsync(GatewaySession session, Frame frame) =>
        FrameCodec.TryRead(frame, out TPacket packet) ? HandleAsync(session, packet) : session.FailAsync(ProtocolError.Malformed, _malformed);

    /// <summary>Handles a parsed packet; false closes the connection.</summary>
    protected abstract ValueTask<bool> HandleAsync(GatewaySession session, TPacket packet);

    /// <summary>The packet's name as docs/protocol.md spells it: <c>MapState</c> → <c>MAP_STATE</c>.</summary>
    public static string WireName(PacketId id)
    {
        string name = id.ToString();
        var wire = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) wire.Append('_');
            wire.Append(char.ToUpperInvariant(name[i]));
        }
        return wire.ToString();
    }
}
