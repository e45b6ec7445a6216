using System.Security.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// How an Ed25519 public key is named to people, one definition for every place a key is shown (p2p-keygen, logs,
/// the admin API, host details): the key id the wire carries, and the full fingerprint (docs/protocol.md, "Keys").
/// </summary>
public static class KeyNames
{
    /// <summary>The key id in lowercase hex: the first 8 bytes of SHA-256 of the raw public key, as tickets and SERVER_HELLO carry it.</summary>
    public static string KeyId(ReadOnlySpan<byte> rawPublicKey) => Convert.ToHexStringLower(HandshakeCrypto.KeyId(rawPublicKey));

    /// <summary>The fingerprint: lowercase hex SHA-256 of the raw 32-byte public key (its first 16 digits are the key id).</summary>
    public static string Fingerprint(ReadOnlySpan<byte> rawPublicKey) => Convert.ToHexStringLower(SHA256.HashData(rawPublicKey));

    /// <summary>The raw public key in standard base64 (44 characters), as p2p-keygen prints it and agents' public_key accepts it.</summary>
    public static string PublicKeyBase64(ReadOnlySpan<byte> rawPublicKey) => Convert.ToBase64String(rawPublicKey);
}
