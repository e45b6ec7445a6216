using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5009 KEY_SET, coordinator → host agent (sealed, after WELCOME and whenever the key set changes): the coordinator's
/// key set, signed by one of its keys, so an agent learns a rotated key over a channel a key it already trusts vouches
/// for (docs/protocol.md, "KEY_SET"). The signature covers every byte before it, after a domain label.
/// </summary>
public readonly record struct KeySetPacket(ulong IssuedMs, IReadOnlyList<AnnouncedKey> Keys, ReadOnlyMemory<byte> SignerKeyId, ReadOnlyMemory<byte> Signature)
    : IPacket<KeySetPacket>
{
    /// <summary>Most keys one announcement carries (next, active, retiring and revoked ones of a sane key set fit many times).</summary>
    public const int MaxKeys = 16;

    private static ReadOnlySpan<byte> Domain => "P2PCluster KEY_SET v1\0"u8;

    public static PacketId Id => PacketId.KeySet;

    public int BodyLength => 9 + Keys.Count * AnnouncedKey.WireLength + ProtocolLimits.KeyIdLength + ProtocolLimits.SignatureLength;

    public void WriteBody(Span<byte> d)
    {
        if (Keys.Count is < 1 or > MaxKeys) throw new ArgumentException($"a key set announces 1–{MaxKeys} keys", nameof(Keys));
        BinaryPrimitives.WriteUInt64LittleEndian(d, IssuedMs);
        d[8] = (byte)Keys.Count;
        int at = 9;
        foreach (var key in Keys)
        {
            if (key.PublicKey.Length != ProtocolLimits.KeyLength) throw new ArgumentException("a public key is 32 bytes", nameof(Keys));
            key.PublicKey.Span.CopyTo(d[at..]);
            BinaryPrimitives.WriteUInt64LittleEndian(d[(at + 32)..], key.ActivateMs);
            BinaryPrimitives.WriteUInt64LittleEndian(d[(at + 40)..], key.RetireMs);
            d[at + 48] = key.Revoked ? AnnouncedKey.RevokedFlag : (byte)0;
            at += AnnouncedKey.WireLength;
        }
        Fixed(SignerKeyId, ProtocolLimits.KeyIdLength).CopyTo(d[at..]);
        Fixed(Signature, ProtocolLimits.SignatureLength).CopyTo(d[(at + ProtocolLimits.KeyIdLength)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out KeySetPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU64(out ulong issued) || !r.TryReadU8(out byte count) || count is < 1 or > MaxKeys) return false;
        var keys = new AnnouncedKey[count];
        for (int i = 0; i < count; i++)
        {
            if (!r.TryReadBytes(ProtocolLimits.KeyLength, out byte[] key) || !r.TryReadU64(out ulong activate) || !r.TryReadU64(out ulong retire)
                || !r.TryReadU8(out byte flags) || (flags & ~AnnouncedKey.RevokedFlag) != 0)
                return false;
            keys[i] = new AnnouncedKey(key, activate, retire, (flags & AnnouncedKey.RevokedFlag) != 0);
        }
        if (!r.TryReadBytes(ProtocolLimits.KeyIdLength, out byte[] signer) || !r.TryReadBytes(ProtocolLimits.SignatureLength, out byte[] signature) || !r.End)
            return false;
        packet = new KeySetPacket(issued, keys, signer, signature);
        return true;
    }

    /// <summary>This announcement signed by <paramref name="coordinator"/> (its key id filled in).</summary>
    public KeySetPacket Sign(SigningIdentity coordinator)
    {
        var unsigned = this with { SignerKeyId = coordinator.KeyId, Signature = new byte[ProtocolLimits.SignatureLength] };
        return unsigned with { Signature = coordinator.Sign(SignatureInput(unsigned)) };
    }

    /// <summary>
    /// Whether the signature verifies under the key <paramref name="trusted"/> returns for the signer's key id (null:
    /// not a key the receiver trusts).
    /// </summary>
    public bool Verify(Func<ReadOnlyMemory<byte>, byte[]?> trusted) =>
        SignerKeyId.Length == ProtocolLimits.KeyIdLength && Signature.Length == ProtocolLimits.SignatureLength
        && trusted(SignerKeyId) is { } key && SigningIdentity.Verify(key, SignatureInput(this), Signature.Span);

    private static byte[] SignatureInput(in KeySetPacket packet)
    {
        var body = new byte[packet.BodyLength];
        packet.WriteBody(body);
        return [.. Domain, .. body.AsSpan(0, body.Length - ProtocolLimits.SignatureLength)];
    }

    private static ReadOnlySpan<byte> Fixed(ReadOnlyMemory<byte> value, int length) =>
        value.Length == length ? value.Span : throw new ArgumentException($"expected {length} bytes, got {value.Length}");
}
