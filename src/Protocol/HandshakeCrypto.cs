using CryptographicOperations = System.Security.Cryptography.CryptographicOperations;

using NSec.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// The key schedule of protocol version 1 (docs/protocol.md, "Handshake"): transcript hash, signature inputs,
/// traffic secrets, key ids and host ids. Every primitive comes from NSec (libsodium).
/// </summary>
public static class HandshakeCrypto
{
    public static ReadOnlySpan<byte> TranscriptLabel => "P2PCluster/1 transcript"u8;
    public static ReadOnlySpan<byte> ServerSignatureLabel => "P2PCluster/1 server signature"u8;
    public static ReadOnlySpan<byte> HostSignatureLabel => "P2PCluster/1 host signature"u8;
    public static ReadOnlySpan<byte> ClientToServerLabel => "P2PCluster/1 c2s"u8;
    public static ReadOnlySpan<byte> ServerToClientLabel => "P2PCluster/1 s2c"u8;
    public static ReadOnlySpan<byte> RekeyLabel => "P2PCluster/1 rekey"u8;

    /// <summary>TH = SHA-256(label ‖ HELLO frame ‖ SERVER_HELLO frame up to its signature).</summary>
    public static byte[] TranscriptHash(ReadOnlySpan<byte> helloFrame, ReadOnlySpan<byte> serverHelloSignedPart)
    {
        var state = default(IncrementalHash);
        IncrementalHash.Initialize(HashAlgorithm.Sha256, out state);
        IncrementalHash.Update(ref state, TranscriptLabel);
        IncrementalHash.Update(ref state, helloFrame);
        IncrementalHash.Update(ref state, serverHelloSignedPart);
        return IncrementalHash.Finalize(ref state);
    }

    /// <summary>The bytes the coordinator signs: label ‖ TH.</summary>
    public static byte[] ServerSignatureInput(ReadOnlySpan<byte> transcriptHash) => Concat(ServerSignatureLabel, transcriptHash, []);

    /// <summary>The bytes a host signs: label ‖ TH ‖ the IDENTIFY body up to the signature.</summary>
    public static byte[] HostSignatureInput(ReadOnlySpan<byte> transcriptHash, ReadOnlySpan<byte> identifySignedPart) =>
        Concat(HostSignatureLabel, transcriptHash, identifySignedPart);

    /// <summary>
    /// PRK = HKDF-Extract(salt = TH, IKM = X25519(own, peer)); c2s = HKDF-Expand(PRK, "…c2s", 32); s2c likewise.
    /// Returns null when the agreement fails (a low-order peer key).
    /// </summary>
    public static (byte[] ClientToServer, byte[] ServerToClient)? DeriveTrafficSecrets(Key ownEphemeral, ReadOnlySpan<byte> peerEphemeral, ReadOnlySpan<byte> transcriptHash)
    {
        if (!PublicKey.TryImport(KeyAgreementAlgorithm.X25519, peerEphemeral, KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
            return null;
        using var shared = KeyAgreementAlgorithm.X25519.Agree(ownEphemeral, peer);
        if (shared is null) return null;
        return Expand(KeyDerivationAlgorithm.HkdfSha256.Extract(shared, transcriptHash));
    }

    /// <summary>
    /// The same derivation with the own ephemeral key as raw bytes (<see cref="NewEphemeralPrivateKey"/>): no NSec key or
    /// shared secret, so no guarded pages to map and unmap per handshake (<see cref="SodiumX25519"/>). Null when the
    /// agreement fails (a peer key of the wrong length or of low order).
    /// </summary>
    public static (byte[] ClientToServer, byte[] ServerToClient)? DeriveTrafficSecrets(ReadOnlySpan<byte> ownEphemeralPrivate, ReadOnlySpan<byte> peerEphemeral,
        ReadOnlySpan<byte> transcriptHash)
    {
        Span<byte> shared = stackalloc byte[ProtocolLimits.KeyLength];
        try
        {
            if (!SodiumX25519.Agree(ownEphemeralPrivate, peerEphemeral, shared)) return null;
            // HKDF-Extract is HMAC-SHA-256 keyed with the salt, as NSec's HkdfSha256.Extract computes it.
            var prk = new byte[ProtocolLimits.KeyLength];
            System.Security.Cryptography.HKDF.Extract(System.Security.Cryptography.HashAlgorithmName.SHA256, shared, transcriptHash, prk);
            return Expand(prk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private static (byte[] ClientToServer, byte[] ServerToClient) Expand(byte[] prk)
    {
        try
        {
            return (KeyDerivationAlgorithm.HkdfSha256.Expand(prk, ClientToServerLabel, ProtocolLimits.KeyLength),
                KeyDerivationAlgorithm.HkdfSha256.Expand(prk, ServerToClientLabel, ProtocolLimits.KeyLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>Key id: the first 8 bytes of SHA-256 of the raw 32-byte Ed25519 public key.</summary>
    public static byte[] KeyId(ReadOnlySpan<byte> rawPublicKey) => HashAlgorithm.Sha256.Hash(rawPublicKey)[..ProtocolLimits.KeyIdLength];

    /// <summary>A host's id: "h" and the first 20 hex digits of SHA-256 of its raw public key. Derived, so it cannot be claimed.</summary>
    public static string HostId(ReadOnlySpan<byte> rawPublicKey) =>
        "h" + Convert.ToHexStringLower(HashAlgorithm.Sha256.Hash(rawPublicKey).AsSpan(0, 10));

    public static Key NewEphemeral() => Key.Create(KeyAgreementAlgorithm.X25519);

    /// <summary>A fresh ephemeral X25519 private key as raw bytes, for <see cref="DeriveTrafficSecrets(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</summary>
    public static byte[] NewEphemeralPrivateKey() => SodiumX25519.NewPrivateKey();

    /// <summary>The raw public key of a raw X25519 private key.</summary>
    public static byte[] RawPublic(ReadOnlySpan<byte> privateKey) => SodiumX25519.PublicKey(privateKey);

    public static byte[] RawPublic(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var result = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        c.CopyTo(result.AsSpan(a.Length + b.Length));
        return result;
    }
}
