namespace P2PCluster.Grains.Interfaces;

/// <summary>What a host node declares about itself when it connects.</summary>
/// <param name="PublicKey">Raw 32-byte Ed25519 public key: the host's identity.</param>
/// <param name="Endpoint">host:port players connect to.</param>
[GenerateSerializer, Immutable, Alias("p2p.HostRegistration.v1")]
public sealed record HostRegistration(
    [property: Id(0)] byte[] PublicKey,
    [property: Id(1)] HostKind Kind,
    [property: Id(2)] string Endpoint);
