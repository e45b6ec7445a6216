namespace P2PCluster.Hosting.Keys;

/// <summary>
/// One coordinator signing key of the key set, with the dates its state follows from (<see cref="CoordinatorKeySet"/>).
/// Times are UTC to the millisecond, as the store keeps them.
/// </summary>
/// <param name="KeyId">Lowercase hex key id (<see cref="Protocol.KeyNames.KeyId"/>).</param>
/// <param name="PublicKey">Raw 32-byte Ed25519 public key.</param>
/// <param name="PrivateKeyPem">PKCS#8 PEM, as <c>openssl genpkey -algorithm ED25519</c> writes it: silos and gateways sign with it.</param>
/// <param name="ActivateAt">From this moment it is the signing key, unless a later-activating key or revocation supersedes it.</param>
/// <param name="RetireAt">From this moment nobody verifies with it; null while no successor is announced.</param>
/// <param name="RevokedAt">Set by <c>p2p-keygen --revoke</c>: trusted by nobody from then on.</param>
public sealed record CoordinatorKeyEntry(
    string KeyId,
    byte[] PublicKey,
    string PrivateKeyPem,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivateAt,
    DateTimeOffset? RetireAt,
    DateTimeOffset? RevokedAt);
