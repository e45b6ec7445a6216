using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>MOVE_PLAYER → MOVE_RESULT: a host sends one of its players to another map, saved first, then routed with a fresh ticket.</summary>
public sealed class MovePlayerHandler() : GrainPacketHandler<MovePlayerPacket>(SessionRole.HostAgent)
{
    protected override async ValueTask<bool> CallAsync(GatewaySession session, MovePlayerPacket move)
    {
        var grant = await session.Characters.Get(move.CharId)
            .MoveAsync(session.HostId!, move.FromMap, (long)move.Epoch, move.ToMap, CharacterWire.FromState(move.State));
        await session.SendAsync(new MoveResultPacket(move.RequestId, move.CharId, ProtocolError.None, session.Tickets.Sign(grant)));
        return true;
    }

    protected override async ValueTask<bool> FailedAsync(GatewaySession session, MovePlayerPacket move, GrainFailure failure)
    {
        await session.SendAsync(new MoveResultPacket(move.RequestId, move.CharId, failure.Code, null));
        return true;
    }
}
