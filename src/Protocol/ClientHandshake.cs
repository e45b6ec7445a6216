using NSec.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// A client's side of the handshake (host agents, game clients, tools): sends HELLO, checks the coordinator's
/// signature against pinned keys, derives the channel and signs IDENTIFY.
/// </summary>
/// <remarks>With <paramref name="preferFirstKey"/>, HELLO asks for SERVER_HELLO signed with the first pinned key (HELLO flag
/// <see cref="HelloPacket.PrefersKey"/>); the coordinator does so while that key still verifies, and signs with its active key otherwise.
/// With <paramref name="learnsKeySet"/>, HELLO asks for the coordinator's KEY_SET announcements (flag <see cref="HelloPacket.LearnsKeySet"/>).</remarks>
public sealed class ClientHandshake(PeerRole role, IReadOnlyList<byte[]> pinnedCoordinatorKeys, bool requireEncryption = true, Key? ephemeral = null,
    bool preferFirstKey = false, bool learnsKeySet = false)
    : IDisposable
{
    private readonly Key _ephemeral = ephemeral ?? HandshakeCrypto.NewEphemeral();
    private HelloPacket _hello;

    public byte[] TranscriptHash { get; private set; } = [];

    public HelloPacket CreateHello()
    {
        var first = preferFirstKey ? pinnedCoordinatorKeys.FirstOrDefault() : null;
        byte flags = (byte)(HelloPacket.SupportsEncryption | (learnsKeySet ? HelloPacket.LearnsKeySet : 0));
        _hello = first is null
            ? new HelloPacket(ProtocolLimits.Version, ProtocolLimits.Version, role, flags, HandshakeCrypto.RawPublic(_ephemeral))
            : new HelloPacket(ProtocolLimits.Version, ProtocolLimits.Version, role, (byte)(flags | HelloPacket.PrefersKey),
                HandshakeCrypto.RawPublic(_ephemeral), HandshakeCrypto.KeyId(first));
        return _hello;
    }

    /// <summary>Checks SERVER_HELLO; on success <paramref name="channel"/> is the encrypted channel, or null for a plaintext session.</summary>
    public ProtocolError Accept(in ServerHelloPacket serverHello, out SecureChannel? channel)
    {
        channel = null;
        if (_hello.EphemeralKey.IsEmpty) throw new InvalidOperationException("CreateHello must be sent before SERVER_HELLO is accepted");
        if (serverHello.Version != ProtocolLimits.Version) return ProtocolError.UnsupportedVersion;
        var keyId = serverHello.KeyId;
        byte[]? coordinatorKey = pinnedCoordinatorKeys.FirstOrDefault(k => HandshakeCrypto.KeyId(k).AsSpan().SequenceEqual(keyId.Span));
        if (coordinatorKey is null) return ProtocolError.BadSignature;

        byte[] frame = FrameCodec.ToArray(serverHello);
        TranscriptHash = HandshakeCrypto.TranscriptHash(FrameCodec.ToArray(_hello),
            frame.AsSpan(0, ProtocolLimits.HeaderLength + ServerHelloPacket.SignedBodyLength));
        if (!SigningIdentity.Verify(coordinatorKey, HandshakeCrypto.ServerSignatureInput(TranscriptHash), serverHello.Signature.Span))
            return ProtocolError.BadSignature;

        if ((serverHello.Flags & ServerHelloPacket.Encrypted) == 0)
            return requireEncryption ? ProtocolError.EncryptionRequired : ProtocolError.None;
        var secrets = HandshakeCrypto.DeriveTrafficSecrets(_ephemeral, serverHello.EphemeralKey.Span, TranscriptHash);
        if (secrets is null) return ProtocolError.Malformed;
        channel = new SecureChannel(sendSecret: secrets.Value.ClientToServer, receiveSecret: secrets.Value.ServerToClient);
        return ProtocolError.None;
    }

    /// <summary>An IDENTIFY proving <paramref name="identity"/> (null = anonymous) for this connection.</summary>
    public IdentifyPacket CreateIdentify(SigningIdentity? identity, byte hostKind = 0, string endpoint = "")
    {
        if (identity is null) return IdentifyPacket.Anonymous;
        var unsigned = new IdentifyPacket(IdentityType.Ed25519, identity.PublicKey, hostKind, endpoint, ReadOnlyMemory<byte>.Empty);
        var signed = new byte[unsigned.SignedLength];
        unsigned.WriteSigned(signed);
        return unsigned with { Signature = identity.Sign(HandshakeCrypto.HostSignatureInput(TranscriptHash, signed)) };
    }

    public void Dispose() => _ephemeral.Dispose();
}
