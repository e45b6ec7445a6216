using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>What a host node declares about itself when it connects.</summary>
/// <param name="PublicKey">Raw 32-byte Ed25519 public key: the host's identity.</param>
/// <param name="Endpoint">host:port players connect to.</param>
/// <param name="Connection">
/// The gateway session this registration came through. A later <see cref="IHostGrain.AttachAsync"/> or
/// <see cref="IHostGrain.DisconnectAsync"/> naming another (older) session is stale and ignored: an agent that lost
/// one gateway's connection may register through another gateway before the first notices its session is gone.
/// </param>
[GenerateSerializer, Immutable, Alias("p2p.HostRegistration.v1")]
public sealed record HostRegistration(
    [property: Id(0)] byte[] PublicKey,
    [property: Id(1)] HostKind Kind,
    [property: Id(2)] string Endpoint,
    [property: Id(3)] Guid Connection = default);
