using System.Buffers;
using System.IO.Pipelines;
using NSec.Cryptography;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// Target "handshake": the handshake state machine fed adversarial frames, as the gateway and the client library run
/// it (HELLO → IDENTIFY → established on the coordinator's side; SERVER_HELLO → WELCOME → established on a client's),
/// with the documented keys, so the seed conversations of docs/protocol.md complete and mutations start from there.
/// Input: a shape byte (bit 0: client side; bit 1: plaintext, i.e. encryption off or not required; bit 7: split
/// into segments), then the bytes the peer sends.
/// </summary>
internal static class HandshakeTarget
{
    private const int MaxFrames = 32;

    private static readonly Lazy<SigningIdentity> Coordinator = new(() => SigningIdentity.FromSeed(Vectors.Get("coordinator_seed")));

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        byte shape = input[0];
        var wire = Chunk.Split(input[1..].ToArray(), shape);
        bool encrypted = (shape & 2) == 0;
        if ((shape & 1) == 0) Server(wire, encrypted);
        else Client(wire, encrypted);
    }

    private static void Server(ReadOnlySequence<byte> wire, bool encryption)
    {
        using var handshake = new ServerHandshake(Coordinator.Value, encryption, Vectors.Get("server_ephemeral_private"));
        var session = new FrameReader(PipeReader.Create(Stream.Null));
        int stage = 0;
        for (int i = 0; i < MaxFrames && session.TryReadFrame(ref wire, out var frame, out _) == ReadOutcome.Frame; i++)
        {
            if (stage == 0)
            {
                if (!FrameCodec.TryRead(frame, out HelloPacket hello)) return;
                if (handshake.Accept(hello, out var reply, out var channel) != ProtocolError.None) return;
                Finding.Require(channel is not null == encryption, "SERVER_HELLO accepted with a channel that does not match the encryption setting");
                Finding.Require(SigningIdentity.Verify(Coordinator.Value.PublicKey, HandshakeCrypto.ServerSignatureInput(handshake.TranscriptHash),
                    reply.Signature.Span), "the coordinator's SERVER_HELLO signature does not verify");
                session.Channel = channel;
                stage = 1;
            }
            else if (stage == 1)
            {
                if (!FrameCodec.TryRead(frame, out IdentifyPacket identify) || handshake.Verify(identify) != ProtocolError.None) return;
                session.MaxFrame = ProtocolLimits.DefaultMaxFrame + (session.Channel is null ? 0 : ProtocolLimits.SealOverhead);
                stage = 2;
            }
            else PacketCheck.Frame(frame);
        }
    }

    private static void Client(ReadOnlySequence<byte> wire, bool requireEncryption)
    {
        var ephemeral = Key.Import(KeyAgreementAlgorithm.X25519, Vectors.Get("client_ephemeral_private"), KeyBlobFormat.RawPrivateKey);
        using var handshake = new ClientHandshake(PeerRole.HostAgent, [Coordinator.Value.PublicKey], requireEncryption, ephemeral);
        handshake.CreateHello();
        var session = new FrameReader(PipeReader.Create(Stream.Null));
        int stage = 0;
        for (int i = 0; i < MaxFrames && session.TryReadFrame(ref wire, out var frame, out _) == ReadOutcome.Frame; i++)
        {
            if (FrameCodec.TryRead(frame, out ErrorPacket _)) return; // the coordinator refused: the client stops
            if (stage == 0)
            {
                if (!FrameCodec.TryRead(frame, out ServerHelloPacket serverHello)) return;
                if (handshake.Accept(serverHello, out var channel) != ProtocolError.None) return;
                Finding.Require(channel is not null || !requireEncryption, "a plaintext SERVER_HELLO was accepted although encryption is required");
                session.Channel = channel;
                stage = 1;
            }
            else if (stage == 1)
            {
                if (!FrameCodec.TryRead(frame, out WelcomePacket welcome)) return;
                session.MaxFrame = welcome.MaxFrame + (session.Channel is null ? 0 : ProtocolLimits.SealOverhead);
                stage = 2;
            }
            else PacketCheck.Frame(frame);
        }
    }
}
