using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// X25519 (RFC 7748) straight from libsodium, the library NSec bundles, with the private key in an ordinary array. An
/// NSec <c>Key</c> and its <c>SharedSecret</c> each live in guarded pages (<c>sodium_malloc</c>: mmap, mprotect, and
/// munmap when freed), so every handshake made and tore down two sets of mappings in system calls: 4 % of the node's
/// CPU in a reconnect storm, where thousands of handshakes run at once. The coordinator's ephemeral key lives for one
/// HELLO and is zeroed after it, which protects it no less than guarded pages freed at the same moment would.
/// </summary>
internal static class SodiumX25519
{
    private const string Library = "libsodium";
    private const int KeyLength = 32;

    static SodiumX25519()
    {
        // Idempotent: 0 on first use, 1 when NSec (or SodiumAead) already initialised it.
        if (sodium_init() < 0) throw new CryptographicException("libsodium failed to initialise");
    }

    /// <summary>A fresh private key: 32 random bytes (libsodium clamps the scalar in every operation, as NSec's keys are used).</summary>
    public static byte[] NewPrivateKey() => RandomNumberGenerator.GetBytes(KeyLength);

    /// <summary>The raw public key of <paramref name="privateKey"/>.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength) throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        var publicKey = new byte[KeyLength];
        if (crypto_scalarmult_curve25519_base(ref publicKey[0], in MemoryMarshal.GetReference(privateKey)) != 0)
            throw new CryptographicException("X25519 public key derivation failed");
        return publicKey;
    }

    /// <summary>
    /// Writes X25519(<paramref name="privateKey"/>, <paramref name="peerPublicKey"/>) to <paramref name="shared"/>; false for
    /// a peer key of the wrong length or of low order (an all-zero result), as NSec's agreement refuses them.
    /// </summary>
    public static bool Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> shared)
    {
        if (privateKey.Length != KeyLength) throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        if (shared.Length != KeyLength) throw new ArgumentException("an X25519 shared secret is 32 bytes", nameof(shared));
        if (peerPublicKey.Length != KeyLength) return false;
        return crypto_scalarmult_curve25519(ref MemoryMarshal.GetReference(shared), in MemoryMarshal.GetReference(privateKey),
            in MemoryMarshal.GetReference(peerPublicKey)) == 0;
    }

    [DllImport(Library)]
    private static extern int sodium_init();

    [DllImport(Library)]
    private static extern int crypto_scalarmult_curve25519_base(ref byte q, in byte n);

    [DllImport(Library)]
    private static extern int crypto_scalarmult_curve25519(ref byte q, in byte n, in byte p);
}
