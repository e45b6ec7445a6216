using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>The coordinator's answer to a claim: <see cref="ProtocolError.None"/> and the player's account, or why not.</summary>
public readonly record struct TicketClaim(ProtocolError Code, uint AccountId)
{
    /// <summary>No coordinator session, or no answer in time: the player may try again.</summary>
    public static TicketClaim Unavailable => new(ProtocolError.Unavailable, 0);

    public bool Admitted => Code == ProtocolError.None;
}
