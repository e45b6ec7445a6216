using System.Buffers;

namespace P2PCluster.Protocol.Tests;

public sealed class HandshakeTests : IDisposable
{
    private readonly SigningIdentity _coordinator = SigningIdentity.Generate();
    private readonly SigningIdentity _host = SigningIdentity.Generate();

    public void Dispose()
    {
        _coordinator.Dispose();
        _host.Dispose();
    }

    private ClientHandshake NewClient(bool requireEncryption = true) =>
        new(PeerRole.HostAgent, [_coordinator.PublicKey], requireEncryption);

    [Fact]
    public void HandshakeAgreesOnKeysAndProvesBothIdentities()
    {
        using var client = NewClient();
        using var server = new ServerHandshake(_coordinator, encryption: true);
        Assert.Equal(ProtocolError.None, server.Accept(client.CreateHello(), out var serverHello, out var serverChannel));
        Assert.Equal(ProtocolError.None, client.Accept(serverHello, out var clientChannel));
        Assert.Equal(server.TranscriptHash, client.TranscriptHash);
        Assert.Equal(ProtocolError.None, server.Verify(client.CreateIdentify(_host, 0, "127.0.0.1:6121")));

        using (serverChannel) using (clientChannel)
        {
            var inner = FrameCodec.ToArray(new PingPacket(99, 0));
            var sealedFrame = new byte[inner.Length + ProtocolLimits.SealOverhead];
            clientChannel!.Seal(inner, sealedFrame);
            var opened = new byte[inner.Length];
            Assert.True(serverChannel!.TryOpen(sealedFrame.AsSpan(0, 4), sealedFrame.AsSpan(4), opened));
            Assert.Equal(inner, opened);
        }
    }

    [Fact]
    public void ALowOrderClientKeyIsRefusedBeforeAnythingIsSigned()
    {
        using var client = NewClient();
        using var server = new ServerHandshake(_coordinator, encryption: true);
        // The zero point has order 1: its agreement is all zeros, which libsodium refuses (as NSec's did).
        var hello = client.CreateHello() with { EphemeralKey = new byte[32] };
        Assert.Equal(ProtocolError.Malformed, server.Accept(hello, out var reply, out var channel));
        Assert.Null(channel);
        Assert.True(reply.Signature.IsEmpty, "a reply was signed for a low-order key");
    }

    [Fact]
    public void TamperingWithAnyHelloByteFailsTheHandshake()
    {
        using var probe = NewClient();
        int length = FrameCodec.ToArray(probe.CreateHello()).Length;
        for (int i = 4; i < length; i++) // header bytes are covered by the framing tests
        {
            using var client = NewClient();
            using var server = new ServerHandshake(_coordinator, encryption: true);
            var hello = FrameCodec.ToArray(client.CreateHello());
            hello[i] ^= 0x01;
            Assert.False(Completes(client, server, hello), $"flipping HELLO byte {i} went unnoticed");
        }
    }

    [Fact]
    public void TamperingWithAnyServerHelloByteFailsTheHandshake()
    {
        using var probeClient = NewClient();
        using var probeServer = new ServerHandshake(_coordinator, true);
        probeServer.Accept(probeClient.CreateHello(), out var probeReply, out _);
        int length = FrameCodec.ToArray(probeReply).Length;
        for (int i = 4; i < length; i++)
        {
            using var client = NewClient();
            using var server = new ServerHandshake(_coordinator, encryption: true);
            Assert.Equal(ProtocolError.None, server.Accept(client.CreateHello(), out var reply, out _));
            var bytes = FrameCodec.ToArray(reply);
            bytes[i] ^= 0x01;
            bool accepted = Parse(bytes, out ServerHelloPacket tampered) && client.Accept(tampered, out _) == ProtocolError.None;
            Assert.False(accepted, $"flipping SERVER_HELLO byte {i} went unnoticed");
        }
    }

    [Fact]
    public void TamperingWithAnyIdentifyByteFailsVerification()
    {
        using var client = NewClient();
        using var server = new ServerHandshake(_coordinator, encryption: true);
        server.Accept(client.CreateHello(), out var reply, out _);
        client.Accept(reply, out _);
        var bytes = FrameCodec.ToArray(client.CreateIdentify(_host, 0, "127.0.0.1:6121"));
        for (int i = 4; i < bytes.Length; i++)
        {
            var copy = bytes.ToArray();
            copy[i] ^= 0x01;
            bool accepted = Parse(copy, out IdentifyPacket tampered) && server.Verify(tampered) == ProtocolError.None;
            Assert.False(accepted, $"flipping IDENTIFY byte {i} went unnoticed");
        }
    }

    [Fact]
    public void IdentifyFromAnotherConnectionIsRejected()
    {
        using var clientA = NewClient();
        using var serverA = new ServerHandshake(_coordinator, true);
        serverA.Accept(clientA.CreateHello(), out var replyA, out _);
        clientA.Accept(replyA, out _);
        using var clientB = NewClient();
        using var serverB = new ServerHandshake(_coordinator, true);
        serverB.Accept(clientB.CreateHello(), out var replyB, out _);
        clientB.Accept(replyB, out _);
        Assert.Equal(ProtocolError.BadSignature, serverB.Verify(clientA.CreateIdentify(_host, 0, "127.0.0.1:6121")));
    }

    [Fact]
    public void UnpinnedCoordinatorKeyIsRejected()
    {
        using var impostor = SigningIdentity.Generate();
        using var client = NewClient();
        using var server = new ServerHandshake(impostor, true);
        server.Accept(client.CreateHello(), out var reply, out _);
        Assert.Equal(ProtocolError.BadSignature, client.Accept(reply, out _));
    }

    [Fact]
    public void VersionAndEncryptionAreNegotiated()
    {
        using var server = new ServerHandshake(_coordinator, encryption: true);
        var key = new byte[32];
        Assert.Equal(ProtocolError.UnsupportedVersion, server.Accept(new HelloPacket(2, 5, PeerRole.GameClient, 1, key), out _, out _));
        Assert.Equal(ProtocolError.EncryptionRequired, server.Accept(new HelloPacket(1, 1, PeerRole.GameClient, 0, key), out _, out _));

        using var plainServer = new ServerHandshake(_coordinator, encryption: false);
        using var strict = NewClient(requireEncryption: true);
        plainServer.Accept(strict.CreateHello(), out var reply, out var channel);
        Assert.Null(channel);
        Assert.Equal(ProtocolError.EncryptionRequired, strict.Accept(reply, out _));

        using var lenient = NewClient(requireEncryption: false);
        using var plainServer2 = new ServerHandshake(_coordinator, encryption: false);
        plainServer2.Accept(lenient.CreateHello(), out reply, out _);
        Assert.Equal(ProtocolError.None, lenient.Accept(reply, out var none));
        Assert.Null(none);
    }

    private bool Completes(ClientHandshake client, ServerHandshake server, byte[] helloBytes)
    {
        if (!Parse(helloBytes, out HelloPacket hello)) return false;
        if (server.Accept(hello, out var reply, out _) != ProtocolError.None) return false;
        return client.Accept(reply, out _) == ProtocolError.None;
    }

    private static bool Parse<T>(byte[] frame, out T packet) where T : IPacket<T>
    {
        packet = default!;
        return FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var f, out _) == ParseStatus.Complete
               && FrameCodec.TryRead(f, out packet);
    }
}
