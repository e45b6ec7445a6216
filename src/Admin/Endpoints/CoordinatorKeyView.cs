using P2PCluster.Hosting.Keys;

namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// The public part of one coordinator key of the key set (<c>GET /api/v1/keys</c>): never the private key.
/// <paramref name="PublicKey"/> is the raw 32-byte Ed25519 key in base64, <paramref name="KeyId"/> and
/// <paramref name="Fingerprint"/> as <see cref="Protocol.KeyNames"/> defines them.
/// </summary>
public sealed record CoordinatorKeyView(
    string KeyId,
    string PublicKey,
    string Fingerprint,
    CoordinatorKeyState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivateAt,
    DateTimeOffset? RetireAt,
    DateTimeOffset? RevokedAt);
