using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace P2PCluster.Protocol;

/// <summary>0x5003 WELCOME, server → client: the handshake is complete; the session's limits and the identity granted.</summary>
public readonly record struct WelcomePacket(ulong SessionId, ushort MaxFrame, uint RekeyIntervalSeconds, string Identity) : IPacket<WelcomePacket>
{
    public static PacketId Id => PacketId.Welcome;
    public int BodyLength => 15 + Encoding.ASCII.GetByteCount(Identity);

    public void WriteBody(Span<byte> d)
    {
        if (!Ascii.IsValid(Identity) || Identity.Length > byte.MaxValue)
            throw new ArgumentException("identity must be at most 255 ASCII characters", nameof(Identity));
        BinaryPrimitives.WriteUInt64LittleEndian(d, SessionId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[8..], MaxFrame);
        BinaryPrimitives.WriteUInt32LittleEndian(d[10..], RekeyIntervalSeconds);
        int length = Encoding.ASCII.GetBytes(Identity, d[15..]);
        d[14] = checked((byte)length);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out WelcomePacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU64(out ulong session) || !r.TryReadU16(out ushort maxFrame) || !r.TryReadU32(out uint rekey)
            || !r.TryReadU8(out byte length) || !r.TryReadUtf8(length, out string identity) || !r.End || !Ascii.IsValid(identity))
            return false;
        packet = new WelcomePacket(session, maxFrame, rekey, identity);
        return true;
    }
}
