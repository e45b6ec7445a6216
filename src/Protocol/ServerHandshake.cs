using System.Security.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// The coordinator's side of the handshake for one connection: answers HELLO with a signed SERVER_HELLO, derives
/// the channel, and verifies the client's IDENTIFY.
/// </summary>
/// <param name="ephemeralPrivate">A fixed ephemeral X25519 private key (test vectors); null: a fresh one at HELLO.</param>
public sealed class ServerHandshake(SigningIdentity coordinator, bool encryption, byte[]? ephemeralPrivate = null) : IDisposable
{
    // Made at HELLO, not with the connection: a connection refused (or gone) before HELLO costs no key. Raw bytes, not
    // an NSec Key: a Key and its shared secret each map and unmap guarded pages, which a reconnect storm of thousands
    // of handshakes paid for in system calls (SodiumX25519).
    private byte[]? _ephemeral = ephemeralPrivate?.ToArray();

    public byte[] TranscriptHash { get; private set; } = [];

    /// <summary>
    /// The key for a HELLO's preferred key id, if the coordinator still signs with it (active or retiring); null: sign
    /// with the one given at construction.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, SigningIdentity?>? Preferred { get; init; }

    /// <summary>The key SERVER_HELLO was signed with: later signed announcements to this peer use it too.</summary>
    public SigningIdentity Signer { get; private set; } = coordinator;
    public PeerRole Role { get; private set; }

    /// <summary>Whether HELLO asked for KEY_SET announcements (<see cref="HelloPacket.LearnsKeySet"/>).</summary>
    public bool LearnsKeySet { get; private set; }

    /// <summary>Answers HELLO. On success <paramref name="reply"/> is to be sent in the clear and <paramref name="channel"/> (null when unencrypted) used after it.</summary>
    public ProtocolError Accept(in HelloPacket hello, out ServerHelloPacket reply, out SecureChannel? channel)
    {
        reply = default;
        channel = null;
        if (hello.MinVersion > ProtocolLimits.Version || hello.MaxVersion < ProtocolLimits.Version) return ProtocolError.UnsupportedVersion;
        if (encryption && (hello.Flags & HelloPacket.SupportsEncryption) == 0) return ProtocolError.EncryptionRequired;
        Role = hello.Role;
        LearnsKeySet = (hello.Flags & HelloPacket.LearnsKeySet) != 0;
        if ((hello.Flags & HelloPacket.PrefersKey) != 0 && Preferred?.Invoke(hello.PreferredKeyId) is { } preferred) Signer = preferred;
        var ephemeralKey = _ephemeral ??= HandshakeCrypto.NewEphemeralPrivateKey();

        byte flags = encryption ? ServerHelloPacket.Encrypted : (byte)0;
        var unsigned = new ServerHelloPacket(ProtocolLimits.Version, flags, HandshakeCrypto.RawPublic(ephemeralKey), Signer.KeyId,
            new byte[ProtocolLimits.SignatureLength]);
        byte[] serverHelloFrame = FrameCodec.ToArray(unsigned);
        TranscriptHash = HandshakeCrypto.TranscriptHash(FrameCodec.ToArray(hello),
            serverHelloFrame.AsSpan(0, ProtocolLimits.HeaderLength + ServerHelloPacket.SignedBodyLength));
        if (encryption)
        {
            var secrets = HandshakeCrypto.DeriveTrafficSecrets(ephemeralKey, hello.EphemeralKey.Span, TranscriptHash);
            if (secrets is null) return ProtocolError.Malformed; // a low-order client key: no reply is signed
            channel = new SecureChannel(sendSecret: secrets.Value.ServerToClient, receiveSecret: secrets.Value.ClientToServer);
        }
        // Not needed any more: the secrets are derived and the reply carries only the public half.
        CryptographicOperations.ZeroMemory(ephemeralKey);
        reply = unsigned with { Signature = Signer.Sign(HandshakeCrypto.ServerSignatureInput(TranscriptHash)) };
        return ProtocolError.None;
    }

    /// <summary>Checks an IDENTIFY: anonymous passes; a key identity needs a valid signature over this connection's transcript.</summary>
    public ProtocolError Verify(in IdentifyPacket identify)
    {
        if (identify.Type == IdentityType.Anonymous) return ProtocolError.None;
        var signed = new byte[identify.SignedLength];
        identify.WriteSigned(signed);
        return SigningIdentity.Verify(identify.PublicKey.Span, HandshakeCrypto.HostSignatureInput(TranscriptHash, signed), identify.Signature.Span)
            ? ProtocolError.None
            : ProtocolError.BadSignature;
    }

    public void Dispose()
    {
        if (_ephemeral is not null) CryptographicOperations.ZeroMemory(_ephemeral);
    }
}
