using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// "Map <see cref="Map"/>, held under <see cref="Epoch"/>, must be told its host lost it": one entry of a host grain's
/// <see cref="HostLossOutbox"/>, persisted in <see cref="HostState.Losses"/> with the write that forgot the map.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.HostLoss.v1")]
public sealed record HostLoss([property: Id(0)] string Map, [property: Id(1)] long Epoch, [property: Id(2)] RevocationReason Reason);
