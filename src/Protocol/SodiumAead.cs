using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// ChaCha20-Poly1305 (IETF, RFC 8439) straight from libsodium, the library NSec bundles, with the key in an ordinary
/// array. NSec keeps every <c>Key</c> in guarded pages, which costs three memory mappings per key; Linux allows a
/// process 65,530 (vm.max_map_count), so two keys per connection brought a gateway down at about 5,000 encrypted
/// connections ("Failed to create RW mapping"). The traffic secrets already live in managed arrays (they are
/// needed for REKEY), so holding the AEAD key there protects it no less.
/// </summary>
internal static class SodiumAead
{
    private const string Library = "libsodium";

    static SodiumAead()
    {
        // Idempotent: 0 on first use, 1 when NSec (or we) already initialised it.
        if (sodium_init() < 0) throw new CryptographicException("libsodium failed to initialise");
    }

    /// <summary>Writes ciphertext ‖ tag (<paramref name="plaintext"/> length + 16 bytes) to <paramref name="destination"/>.</summary>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Check(key, nonce);
        if (destination.Length != plaintext.Length + ProtocolLimits.TagLength) throw new ArgumentException("destination must be plaintext + tag long", nameof(destination));
        int result = crypto_aead_chacha20poly1305_ietf_encrypt(
            ref MemoryMarshal.GetReference(destination), out _, in MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            in MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length, IntPtr.Zero,
            in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(key));
        if (result != 0) throw new CryptographicException("ChaCha20-Poly1305 encryption failed");
    }

    /// <summary>Opens ciphertext ‖ tag into <paramref name="plaintext"/>; false if it fails authentication.</summary>
    public static bool Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Check(key, nonce);
        if (ciphertext.Length < ProtocolLimits.TagLength || plaintext.Length != ciphertext.Length - ProtocolLimits.TagLength) return false;
        return crypto_aead_chacha20poly1305_ietf_decrypt(
            ref MemoryMarshal.GetReference(plaintext), out _, IntPtr.Zero, in MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            in MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(key)) == 0;
    }

    private static void Check(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != ProtocolLimits.KeyLength) throw new ArgumentException("key must be 32 bytes", nameof(key));
        if (nonce.Length != ProtocolLimits.NonceLength) throw new ArgumentException("nonce must be 12 bytes", nameof(nonce));
    }

    [DllImport(Library)]
    private static extern int sodium_init();

    [DllImport(Library)]
    private static extern int crypto_aead_chacha20poly1305_ietf_encrypt(
        ref byte c, out ulong clen, in byte m, ulong mlen, in byte ad, ulong adlen, IntPtr nsec, in byte npub, in byte k);

    [DllImport(Library)]
    private static extern int crypto_aead_chacha20poly1305_ietf_decrypt(
        ref byte m, out ulong mlen, IntPtr nsec, in byte c, ulong clen, in byte ad, ulong adlen, in byte npub, in byte k);
}
