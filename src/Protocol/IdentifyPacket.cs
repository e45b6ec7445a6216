using System.Buffers;
using System.Text;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5002 IDENTIFY, client → server, sealed when the session is encrypted. Anonymous (game clients before login)
/// or an Ed25519 identity (host agents) with its claims — host kind and the endpoint players reach it on — signed
/// together with the handshake transcript, so the proof cannot be replayed on another connection.
/// </summary>
public readonly record struct IdentifyPacket(
    IdentityType Type,
    ReadOnlyMemory<byte> PublicKey,
    byte HostKind,
    string Endpoint,
    ReadOnlyMemory<byte> Signature) : IPacket<IdentifyPacket>
{
    public static PacketId Id => PacketId.Identify;

    public static IdentifyPacket Anonymous { get; } = new(IdentityType.Anonymous, ReadOnlyMemory<byte>.Empty, 0, "", ReadOnlyMemory<byte>.Empty);

    /// <summary>Bytes covered by the signature (everything before it).</summary>
    public int SignedLength => Type == IdentityType.Anonymous ? 1 : 1 + ProtocolLimits.KeyLength + 2 + Encoding.ASCII.GetByteCount(Endpoint);

    public int BodyLength => Type == IdentityType.Anonymous ? 1 : SignedLength + ProtocolLimits.SignatureLength;

    public void WriteBody(Span<byte> d)
    {
        d[0] = (byte)Type;
        if (Type == IdentityType.Anonymous) return;
        WriteSigned(d);
        if (Signature.Length != ProtocolLimits.SignatureLength) throw new InvalidOperationException("signature must be 64 bytes");
        Signature.Span.CopyTo(d[SignedLength..]);
    }

    /// <summary>Writes the signed part (the body up to the signature) into <paramref name="d"/>.</summary>
    public void WriteSigned(Span<byte> d)
    {
        if (PublicKey.Length != ProtocolLimits.KeyLength) throw new InvalidOperationException("public key must be 32 bytes");
        if (!Ascii.IsValid(Endpoint) || Endpoint.Length > ProtocolLimits.MaxEndpointBytes)
            throw new ArgumentException($"endpoint must be at most {ProtocolLimits.MaxEndpointBytes} ASCII characters", nameof(Endpoint));
        int endpointLength = Endpoint.Length;
        d[0] = (byte)Type;
        PublicKey.Span.CopyTo(d[1..]);
        d[1 + ProtocolLimits.KeyLength] = HostKind;
        d[2 + ProtocolLimits.KeyLength] = (byte)endpointLength;
        Encoding.ASCII.GetBytes(Endpoint, d[(3 + ProtocolLimits.KeyLength)..]);
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out IdentifyPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU8(out byte type)) return false;
        if (type == (byte)IdentityType.Anonymous)
        {
            packet = Anonymous;
            return r.End;
        }
        if (type != (byte)IdentityType.Ed25519) return false;
        if (!r.TryReadBytes(ProtocolLimits.KeyLength, out byte[] key) || !r.TryReadU8(out byte kind) || !r.TryReadU8(out byte endpointLength)
            || !r.TryReadUtf8(endpointLength, out string endpoint) || !r.TryReadBytes(ProtocolLimits.SignatureLength, out byte[] signature) || !r.End)
            return false;
        if (!Ascii.IsValid(endpoint)) return false;
        packet = new IdentifyPacket(IdentityType.Ed25519, key, kind, endpoint, signature);
        return true;
    }
}

/// <summary>How a peer identifies itself.</summary>
public enum IdentityType : byte
{
    Anonymous = 0,
    Ed25519 = 1,
}
