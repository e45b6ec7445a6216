using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// The encrypted channel after the handshake: ChaCha20-Poly1305 with one key per direction and a 64-bit frame
/// counter as the nonce, never sent. A replayed, dropped, reordered or altered frame fails to open. Each direction
/// can move to its next key (<see cref="RekeySend"/>, <see cref="RekeyReceive"/>) without a round trip.
/// Not thread-safe: one writer seals, one reader opens.
/// </summary>
public sealed class SecureChannel : IDisposable
{
    private readonly Direction _send;
    private readonly Direction _receive;

    public SecureChannel(ReadOnlySpan<byte> sendSecret, ReadOnlySpan<byte> receiveSecret)
    {
        _send = new Direction(sendSecret);
        _receive = new Direction(receiveSecret);
    }

    public ulong FramesSealed => _send.Counter;
    public ulong FramesOpened => _receive.Counter;

    /// <summary>Seals <paramref name="innerFrame"/> into <paramref name="destination"/> (outer header, ciphertext, tag).</summary>
    public void Seal(ReadOnlySpan<byte> innerFrame, Span<byte> destination)
    {
        int total = innerFrame.Length + ProtocolLimits.SealOverhead;
        FrameCodec.WriteHeader(destination, (ushort)PacketId.Sealed, total - ProtocolLimits.HeaderLength);
        Span<byte> nonce = stackalloc byte[ProtocolLimits.NonceLength];
        _send.NextNonce(nonce);
        SodiumAead.Encrypt(_send.Key, nonce, destination[..ProtocolLimits.HeaderLength], innerFrame,
            destination.Slice(ProtocolLimits.HeaderLength, innerFrame.Length + ProtocolLimits.TagLength));
    }

    /// <summary>Opens a sealed frame (<paramref name="header"/> as received, then ciphertext and tag) into <paramref name="innerFrame"/>.</summary>
    public bool TryOpen(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> innerFrame)
    {
        if (ciphertext.Length < ProtocolLimits.TagLength + ProtocolLimits.HeaderLength) return false;
        Span<byte> nonce = stackalloc byte[ProtocolLimits.NonceLength];
        _receive.PeekNonce(nonce);
        if (!SodiumAead.Decrypt(_receive.Key, nonce, header, ciphertext, innerFrame[..(ciphertext.Length - ProtocolLimits.TagLength)]))
            return false;
        _receive.Counter++;
        return true;
    }

    /// <summary>Switches the sending direction to its next key; call right after sealing a REKEY frame.</summary>
    public void RekeySend() => _send.Rekey();

    /// <summary>Switches the receiving direction to its next key; call right after opening a REKEY frame.</summary>
    public void RekeyReceive() => _receive.Rekey();

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }

    /// <summary>One direction's traffic secret (also its ChaCha20-Poly1305 key) and frame counter.</summary>
    private sealed class Direction : IDisposable
    {
        private readonly byte[] _secret = new byte[ProtocolLimits.KeyLength];

        public Direction(ReadOnlySpan<byte> secret)
        {
            if (secret.Length != ProtocolLimits.KeyLength) throw new ArgumentException("traffic secret must be 32 bytes");
            secret.CopyTo(_secret);
        }

        public ReadOnlySpan<byte> Key => _secret;
        public ulong Counter { get; set; }

        public void NextNonce(Span<byte> nonce)
        {
            PeekNonce(nonce);
            Counter++;
        }

        public void PeekNonce(Span<byte> nonce)
        {
            if (Counter == ulong.MaxValue) throw new CryptographicException("nonce space exhausted; rekey");
            nonce[..4].Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], Counter);
        }

        public void Rekey()
        {
            Span<byte> next = stackalloc byte[ProtocolLimits.KeyLength];
            KeyDerivationAlgorithm.HkdfSha256.Expand(_secret, HandshakeCrypto.RekeyLabel, next);
            next.CopyTo(_secret);
            CryptographicOperations.ZeroMemory(next);
            Counter = 0;
        }

        public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
    }
}
