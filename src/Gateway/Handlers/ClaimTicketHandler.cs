using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>CLAIM_TICKET → CLAIM_RESULT: the host admits a player with its ticket, once, at the map's current epoch.</summary>
public sealed class ClaimTicketHandler() : GrainPacketHandler<ClaimTicketPacket>(SessionRole.HostAgent)
{
    protected override async ValueTask<bool> CallAsync(GatewaySession session, ClaimTicketPacket claim)
    {
        var player = await session.Characters.Get(claim.CharId)
            .ClaimTicketAsync(session.HostId!, claim.Map, (long)claim.Epoch, claim.Nonce);
        return await AnswerAsync(session, new ClaimResultPacket(claim.RequestId, claim.CharId, ProtocolError.None, (uint)player.AccountId,
            CharacterWire.ToState(player.Character)));
    }

    protected override ValueTask<bool> FailedAsync(GatewaySession session, ClaimTicketPacket claim, GrainFailure failure) =>
        AnswerAsync(session, new ClaimResultPacket(claim.RequestId, claim.CharId, failure.Code, 0));

    private static async ValueTask<bool> AnswerAsync(GatewaySession session, ClaimResultPacket result)
    {
        session.Context.Metrics.TicketClaim(result.Code);
        await session.SendAsync(result);
        return true;
    }
}
