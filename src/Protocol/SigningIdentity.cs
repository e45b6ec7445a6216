using NSec.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>An Ed25519 key pair that proves who we are in the handshake: the coordinator's, or a host agent's.</summary>
public sealed class SigningIdentity : IDisposable
{
    public SigningIdentity(Key key)
    {
        if (key.Algorithm != SignatureAlgorithm.Ed25519) throw new ArgumentException("an Ed25519 key is required", nameof(key));
        Key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = HandshakeCrypto.KeyId(PublicKey);
    }

    public Key Key { get; }

    /// <summary>Raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    public byte[] KeyId { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(Key, data);

    /// <summary>From a raw 32-byte private key (seed): test vectors and tools.</summary>
    public static SigningIdentity FromSeed(ReadOnlySpan<byte> seed) =>
        new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public static SigningIdentity Generate() =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public static bool Verify(ReadOnlySpan<byte> rawPublicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, rawPublicKey, KeyBlobFormat.RawPublicKey, out var key)
        && key is not null
        && SignatureAlgorithm.Ed25519.Verify(key, data, signature);

    public void Dispose() => Key.Dispose();
}
