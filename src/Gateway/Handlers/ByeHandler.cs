using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>BYE: the peer leaves cleanly (a host's disconnect is then no failure); the connection closes.</summary>
public sealed class ByeHandler() : PacketHandler<ByePacket>(SessionRole.Any)
{
    // The packet itself is the message: a BYE closes cleanly whatever its body.
    public override ValueTask<bool> HandleAsync(GatewaySession session, Frame frame) => HandleAsync(session, default(ByePacket));

    protected override ValueTask<bool> HandleAsync(GatewaySession session, ByePacket packet)
    {
        session.Clean = true;
        return ValueTask.FromResult(false);
    }
}
