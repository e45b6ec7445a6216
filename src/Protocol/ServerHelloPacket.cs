using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5001 SERVER_HELLO, server → client (plaintext): the chosen version, whether the session is encrypted, the
/// server's ephemeral X25519 key, which coordinator key signed, and an Ed25519 signature over the transcript.
/// </summary>
public readonly record struct ServerHelloPacket(ushort Version, byte Flags, ReadOnlyMemory<byte> EphemeralKey, ReadOnlyMemory<byte> KeyId, ReadOnlyMemory<byte> Signature)
    : IPacket<ServerHelloPacket>
{
    /// <summary>Flag bit 0: every later frame in both directions is sealed.</summary>
    public const byte Encrypted = 0x01;

    public const int SignedBodyLength = 3 + ProtocolLimits.KeyLength + ProtocolLimits.KeyIdLength;

    public static PacketId Id => PacketId.ServerHello;
    public int BodyLength => SignedBodyLength + ProtocolLimits.SignatureLength;

    public void WriteBody(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, Version);
        d[2] = Flags;
        Fixed(EphemeralKey, ProtocolLimits.KeyLength).CopyTo(d[3..]);
        Fixed(KeyId, ProtocolLimits.KeyIdLength).CopyTo(d[(3 + ProtocolLimits.KeyLength)..]);
        Fixed(Signature, ProtocolLimits.SignatureLength).CopyTo(d[SignedBodyLength..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out ServerHelloPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU16(out ushort version) || !r.TryReadU8(out byte flags)
            || !r.TryReadBytes(ProtocolLimits.KeyLength, out byte[] key) || !r.TryReadBytes(ProtocolLimits.KeyIdLength, out byte[] keyId)
            || !r.TryReadBytes(ProtocolLimits.SignatureLength, out byte[] signature) || !r.End)
            return false;
        packet = new ServerHelloPacket(version, flags, key, keyId, signature);
        return true;
    }

    private static ReadOnlySpan<byte> Fixed(ReadOnlyMemory<byte> value, int length) =>
        value.Length == length ? value.Span : throw new InvalidOperationException($"field must be {length} bytes");
}
