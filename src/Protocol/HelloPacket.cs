using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>0x5000 HELLO, client → server, first frame of every connection (plaintext).</summary>
public readonly record struct HelloPacket(ushort MinVersion, ushort MaxVersion, PeerRole Role, byte Flags, ReadOnlyMemory<byte> EphemeralKey,
    ReadOnlyMemory<byte> PreferredKeyId = default)
    : IPacket<HelloPacket>
{
    /// <summary>Flag bit 0: the client can run the encrypted channel.</summary>
    public const byte SupportsEncryption = 0x01;

    /// <summary>
    /// Flag bit 1: <see cref="PreferredKeyId"/> follows the ephemeral key — the coordinator key the client would like
    /// SERVER_HELLO signed with (an agent that was offline through a key switch still trusts only the old key).
    /// </summary>
    public const byte PrefersKey = 0x02;

    /// <summary>
    /// Flag bit 2: the client takes KEY_SET announcements (a game client that keeps the coordinator's key set, as host
    /// agents do). Host agents get them whether or not they set it; other clients only when they set it.
    /// </summary>
    public const byte LearnsKeySet = 0x04;

    public static PacketId Id => PacketId.Hello;
    public int BodyLength => 6 + ProtocolLimits.KeyLength + ((Flags & PrefersKey) != 0 ? ProtocolLimits.KeyIdLength : 0);

    public void WriteBody(Span<byte> d)
    {
        if (EphemeralKey.Length != ProtocolLimits.KeyLength) throw new InvalidOperationException("ephemeral key must be 32 bytes");
        BinaryPrimitives.WriteUInt16LittleEndian(d, MinVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(d[2..], MaxVersion);
        d[4] = (byte)Role;
        d[5] = Flags;
        EphemeralKey.Span.CopyTo(d[6..]);
        if ((Flags & PrefersKey) == 0) return;
        if (PreferredKeyId.Length != ProtocolLimits.KeyIdLength) throw new InvalidOperationException("a preferred key id is 8 bytes");
        PreferredKeyId.Span.CopyTo(d[(6 + ProtocolLimits.KeyLength)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out HelloPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU16(out ushort min) || !r.TryReadU16(out ushort max) || !r.TryReadU8(out byte role) || !r.TryReadU8(out byte flags)
            || !r.TryReadBytes(ProtocolLimits.KeyLength, out byte[] key))
            return false;
        byte[] preferred = [];
        if ((flags & PrefersKey) != 0 && !r.TryReadBytes(ProtocolLimits.KeyIdLength, out preferred)) return false;
        if (!r.End || min == 0 || min > max || !Enum.IsDefined((PeerRole)role)) return false;
        packet = new HelloPacket(min, max, (PeerRole)role, flags, key, preferred);
        return true;
    }
}
