using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// What a player session grants a character: a place on <paramref name="Map"/> at <paramref name="HostId"/> under
/// <paramref name="Epoch"/>, reachable at <paramref name="Endpoint"/>, for the ticket <paramref name="Nonce"/> between
/// the two times. The gateway turns it into a signed ticket (it holds the coordinator key; grains do not).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.TicketGrant.v1")]
public sealed record TicketGrant(
    [property: Id(0)] int AccountId,
    [property: Id(1)] int CharId,
    [property: Id(2)] string Map,
    [property: Id(3)] string HostId,
    [property: Id(4)] HostKind HostKind,
    [property: Id(5)] string Endpoint,
    [property: Id(6)] long Epoch,
    [property: Id(7)] byte[] Nonce,
    [property: Id(8)] DateTimeOffset IssuedAt,
    [property: Id(9)] DateTimeOffset ExpiresAt);
