using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>PLAYER_LEFT: a player left its host's map without moving on; no answer.</summary>
public sealed class PlayerLeftHandler() : GrainPacketHandler<PlayerLeftPacket>(SessionRole.HostAgent)
{
    protected override async ValueTask<bool> CallAsync(GatewaySession session, PlayerLeftPacket left)
    {
        await session.Characters.Get(left.CharId).LeftAsync(session.HostId!, left.Map, (long)left.Epoch);
        return true;
    }

    // Nothing to answer: the character stays as the cluster has it, and its next resolve sorts it out.
    protected override ValueTask<bool> FailedAsync(GatewaySession session, PlayerLeftPacket left, GrainFailure failure) => ValueTask.FromResult(true);
}
