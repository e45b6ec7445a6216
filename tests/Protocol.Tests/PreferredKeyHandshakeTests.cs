namespace P2PCluster.Protocol.Tests;

/// <summary>HELLO's preferred key: a client that trusts only the old key gets SERVER_HELLO signed with it while the coordinator still signs with it.</summary>
public sealed class PreferredKeyHandshakeTests
{
    private static readonly SigningIdentity Old = SigningIdentity.FromSeed(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly SigningIdentity Active = SigningIdentity.FromSeed(Enumerable.Range(32, 32).Select(i => (byte)i).ToArray());

    private static ProtocolError Handshake(byte[][] pinned, bool prefer, Func<ReadOnlyMemory<byte>, SigningIdentity?> stillSigning, out byte[] keyId)
    {
        using var client = new ClientHandshake(PeerRole.HostAgent, pinned, preferFirstKey: prefer);
        using var server = new ServerHandshake(Active, encryption: true) { Preferred = stillSigning };
        var hello = client.CreateHello();
        Assert.True(FrameCodec.TryRead(ParseOne(FrameCodec.ToArray(hello)), out HelloPacket received));
        Assert.Equal(ProtocolError.None, server.Accept(received, out var reply, out _));
        keyId = reply.KeyId.ToArray();
        return client.Accept(reply, out _);
    }

    private static Frame ParseOne(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(new System.Buffers.ReadOnlySequence<byte>(bytes), 65535, out var frame, out _));
        return frame;
    }

    [Fact]
    public void ClientTrustingOnlyTheOldKeyIsAnsweredWithItWhileItStillSigns()
    {
        SigningIdentity? StillSigning(ReadOnlyMemory<byte> id) => id.Span.SequenceEqual(Old.KeyId) ? Old : null;

        Assert.Equal(ProtocolError.None, Handshake([Old.PublicKey], prefer: true, StillSigning, out var keyId));
        Assert.Equal(Old.KeyId, keyId);
        Assert.Equal(ProtocolError.BadSignature, Handshake([Old.PublicKey], prefer: false, StillSigning, out keyId)); // did not ask
        Assert.Equal(Active.KeyId, keyId);
        Assert.Equal(ProtocolError.BadSignature, Handshake([Old.PublicKey], prefer: true, _ => null, out _)); // retired: needs re-pinning
        Assert.Equal(ProtocolError.None, Handshake([Active.PublicKey, Old.PublicKey], prefer: true, StillSigning, out keyId));
        Assert.Equal(Active.KeyId, keyId);
    }
}
