using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>Handles one packet id for an established session; stateless, shared by every connection.</summary>
public interface IPacketHandler
{
    /// <summary>The packet this handler is registered for.</summary>
    PacketId Id { get; }

    /// <summary>The roles that may send it; any other gets UnexpectedPacket.</summary>
    SessionRole Roles { get; }

    /// <summary>Handles one frame of <see cref="Id"/>; false closes the connection (after an ERROR, or a BYE).</summary>
    ValueTask<bool> HandleAsync(GatewaySession session, Frame frame);
}
