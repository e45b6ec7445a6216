using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using NSec.Cryptography;
using P2PCluster.TestSupport;

namespace P2PCluster.Protocol.Tests;

/// <summary>
/// Recomputes the test vectors of docs/protocol.md with the real codec, handshake and channel, so the document and
/// the code cannot drift apart.
/// </summary>
public sealed class ProtocolVectorTests
{
    private const ulong SessionId = 0x0102030405060708;
    private const long ServerTimeMs = 1764115200000;
    private const string Endpoint = "127.0.0.1:6121";

    private static readonly string DocPath = Path.Combine(RepoPaths.Root, "docs", "protocol.md");
    private static readonly Lazy<Dictionary<string, string>> Documented = new(ReadDocumented);
    private static readonly Lazy<Dictionary<string, byte[]>> Computed = new(Compute);
    private static readonly Regex VectorsBlock = new("```vectors\\r?\\n(.*?)```", RegexOptions.Singleline);
    private static readonly Regex VectorLine = new("^([a-z0-9_]+) = ((?:[0-9a-f]{2})+)$");

    private static readonly string[] HandshakeNames =
    [
        "coordinator_seed", "host_seed", "client_ephemeral_private", "server_ephemeral_private",
        "coordinator_public_key", "coordinator_key_id", "host_public_key", "host_id",
        "client_ephemeral_public", "server_ephemeral_public", "hello", "server_hello", "transcript_hash",
        "x25519_shared_secret", "hkdf_prk", "c2s_secret", "s2c_secret", "identify_plain",
    ];

    private static readonly string[] ChannelNames =
    [
        "identify_sealed", "welcome_plain", "welcome_sealed", "ping_plain", "ping_sealed", "pong_plain", "pong_sealed",
        "rekey_sealed", "c2s_secret_after_rekey", "ping_after_rekey_sealed", "error_plain",
    ];

    private static readonly string[] HostAgentNames =
    [
        "host_capacity_plain", "heartbeat_plain", "heartbeat_ack_plain", "assign_map_plain", "revoke_map_plain", "map_state_plain",
        "ticket",
    ];

    private static readonly HostCapacityPacket Capacity = new(5, 100, 80, 85, 100);
    private static readonly HeartbeatPacket Heartbeat = new(7, 412, 655, 12345, [new MapReport("prontera", 3, MapRunState.Running, 42)]);
    private static readonly HeartbeatAckPacket HeartbeatAck = new(7, ServerTimeMs);
    private static readonly AssignMapPacket Assign = new("geffen", 12, 150);
    private static readonly RevokeMapPacket Revoke = new("geffen", 12, RevokeReason.StaleEpoch);
    private static readonly MapStatePacket MapState = new("geffen", 12, MapRunState.Running, 6121);

    /// <summary>The ticket of the "Tickets" vector: account 2000001, char 150000 onto prontera, epoch 3, 60 s, nonce a0…af.</summary>
    public static Ticket TicketVector(SigningIdentity coordinator, string hostId) =>
        new(coordinator.KeyId, 2000001, 150000, "prontera", hostId, 3, ServerTimeMs, ServerTimeMs + 60_000, Range(0xa0)[..Ticket.NonceLength]);

    [Fact]
    public void TicketVectorVerifiesOnItsHost()
    {
        using var coordinator = SigningIdentity.FromSeed(Doc("coordinator_seed"));
        string hostId = System.Text.Encoding.ASCII.GetString(Doc("host_id"));
        var verifier = new TicketVerifier([Doc("coordinator_public_key")], hostId,
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(ServerTimeMs + 1000)));
        Assert.Equal(TicketError.None, verifier.Verify(Doc("ticket"), map => map == "prontera" ? 3UL : null, out var ticket));
        Assert.Equal(TicketVector(coordinator, hostId) with { KeyId = ticket.KeyId, Nonce = ticket.Nonce }, ticket);
        Assert.Equal(coordinator.KeyId, ticket.KeyId);
    }

    [Fact]
    public void VectorsBlockHoldsEveryVectorAndNoOthers()
    {
        string[] expected = [.. HandshakeNames, .. ChannelNames, .. HostAgentNames];
        var missing = expected.Except(Documented.Value.Keys).ToList();
        var extra = Documented.Value.Keys.Except(expected).ToList();
        Assert.True(missing.Count == 0, $"{DocPath}: the vectors block lacks {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"{DocPath}: the vectors block has names no test checks: {string.Join(", ", extra)}");
    }

    [Fact]
    public void HandshakeMatchesTheDocumentedVectors() => AssertDocumented(HandshakeNames);

    [Fact]
    public void SealedFramesRekeyAndErrorMatchTheDocumentedVectors() => AssertDocumented(ChannelNames);

    [Fact]
    public void HostAgentFramesMatchTheDocumentedVectors() => AssertDocumented(HostAgentNames);

    [Fact]
    public void DocumentedHostAgentFramesDecodeToTheirDocumentedValues()
    {
        Assert.Equal(Capacity, Decode<HostCapacityPacket>("host_capacity_plain"));
        var heartbeat = Decode<HeartbeatPacket>("heartbeat_plain");
        Assert.Equal((Heartbeat.Sequence, Heartbeat.CpuPermille, Heartbeat.MemoryPermille, Heartbeat.NetworkKbps),
            (heartbeat.Sequence, heartbeat.CpuPermille, heartbeat.MemoryPermille, heartbeat.NetworkKbps));
        Assert.Equal(Heartbeat.Maps, heartbeat.Maps);
        Assert.Equal(HeartbeatAck, Decode<HeartbeatAckPacket>("heartbeat_ack_plain"));
        Assert.Equal(Assign, Decode<AssignMapPacket>("assign_map_plain"));
        Assert.Equal(Revoke, Decode<RevokeMapPacket>("revoke_map_plain"));
        Assert.Equal(MapState, Decode<MapStatePacket>("map_state_plain"));
    }

    [Fact]
    public void DocumentedFramesOpenInOrderThroughFrameSessions()
    {
        var server = new FrameReader(new Pipe().Reader) { Channel = new SecureChannel(Doc("s2c_secret"), Doc("c2s_secret")) };
        var c2s = Concat(Doc("identify_sealed"), Doc("ping_sealed"), Doc("rekey_sealed"), Doc("ping_after_rekey_sealed"));
        Assert.Equal(Hex("identify_plain", "ping_plain", "ping_plain"), ReadAll(server, c2s));

        var client = new FrameReader(new Pipe().Reader) { Channel = new SecureChannel(Doc("c2s_secret"), Doc("s2c_secret")) };
        Assert.Equal(Hex("welcome_plain", "pong_plain"), ReadAll(client, Concat(Doc("welcome_sealed"), Doc("pong_sealed"))));
    }

    [Fact]
    public void DocumentedKeyFilesLoadAsTheCoordinatorKey()
    {
        string pem = Regex.Match(File.ReadAllText(DocPath), "```pem\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        int split = pem.IndexOf("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal);
        Assert.True(split > 0, $"{DocPath}: the pem block needs a private then a public key");
        string path = Path.Combine(Path.GetTempPath(), $"p2p-vector-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, pem[..split]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // as an operator keeps it: others may not read a private key
        try
        {
            using var loaded = KeyFiles.LoadPrivate(path);
            Assert.Equal(Doc("coordinator_public_key"), loaded.PublicKey);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(Doc("coordinator_public_key"), KeyFiles.ParsePublic(pem[split..]));
    }

    private static void AssertDocumented(IEnumerable<string> names)
    {
        var failures = new List<string>();
        foreach (string name in names)
        {
            string actual = Convert.ToHexStringLower(Computed.Value[name]);
            if (!Documented.Value.TryGetValue(name, out string? documented)) failures.Add($"{name}: not in the document, code gives {actual}");
            else if (documented != actual) failures.Add($"{name}: document has {documented}, code gives {actual}");
        }
        Assert.True(failures.Count == 0, $"{DocPath} disagrees with src/Protocol:\n" + string.Join("\n", failures));
    }

    /// <summary>The conversation of the document's "Test vectors" section, run through the real code.</summary>
    private static Dictionary<string, byte[]> Compute()
    {
        var v = new Dictionary<string, byte[]>
        {
            ["coordinator_seed"] = Range(0x00), ["host_seed"] = Range(0x60),
            ["client_ephemeral_private"] = Range(0x20), ["server_ephemeral_private"] = Range(0x40),
        };
        using var coordinator = SigningIdentity.FromSeed(v["coordinator_seed"]);
        using var host = SigningIdentity.FromSeed(v["host_seed"]);
        var clientKey = Key.Import(KeyAgreementAlgorithm.X25519, v["client_ephemeral_private"], KeyBlobFormat.RawPrivateKey);
        var serverKey = Key.Import(KeyAgreementAlgorithm.X25519, v["server_ephemeral_private"], KeyBlobFormat.RawPrivateKey);
        using var clientHandshake = new ClientHandshake(PeerRole.HostAgent, [coordinator.PublicKey], requireEncryption: true, clientKey);
        using var serverHandshake = new ServerHandshake(coordinator, encryption: true, v["server_ephemeral_private"]);

        v["coordinator_public_key"] = coordinator.PublicKey;
        v["coordinator_key_id"] = coordinator.KeyId;
        v["host_public_key"] = host.PublicKey;
        v["host_id"] = Encoding.ASCII.GetBytes(HandshakeCrypto.HostId(host.PublicKey));
        v["client_ephemeral_public"] = HandshakeCrypto.RawPublic(clientKey);
        v["server_ephemeral_public"] = HandshakeCrypto.RawPublic(serverKey);

        var hello = clientHandshake.CreateHello();
        v["hello"] = FrameCodec.ToArray(hello);
        Assert.Equal(ProtocolError.None, serverHandshake.Accept(hello, out var serverHello, out var serverChannel));
        v["server_hello"] = FrameCodec.ToArray(serverHello);
        v["transcript_hash"] = serverHandshake.TranscriptHash;
        Assert.Equal(ProtocolError.None, clientHandshake.Accept(serverHello, out var clientChannel));
        Assert.Equal(serverHandshake.TranscriptHash, clientHandshake.TranscriptHash);

        using var shared = KeyAgreementAlgorithm.X25519.Agree(clientKey, serverKey.PublicKey,
            new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })!;
        v["x25519_shared_secret"] = shared.Export(SharedSecretBlobFormat.RawSharedSecret);
        v["hkdf_prk"] = KeyDerivationAlgorithm.HkdfSha256.Extract(shared, clientHandshake.TranscriptHash);
        var secrets = HandshakeCrypto.DeriveTrafficSecrets(clientKey, HandshakeCrypto.RawPublic(serverKey), clientHandshake.TranscriptHash)!.Value;
        v["c2s_secret"] = secrets.ClientToServer;
        v["s2c_secret"] = secrets.ServerToClient;

        var identify = clientHandshake.CreateIdentify(host, hostKind: 0, Endpoint);
        Assert.Equal(ProtocolError.None, serverHandshake.Verify(identify));
        v["identify_plain"] = FrameCodec.ToArray(identify);

        using var c2s = clientChannel!;
        using var s2c = serverChannel!;
        v["identify_sealed"] = Seal(c2s, v["identify_plain"]);
        v["welcome_plain"] = FrameCodec.ToArray(new WelcomePacket(SessionId, ProtocolLimits.DefaultMaxFrame, 3600, HandshakeCrypto.HostId(host.PublicKey)));
        v["welcome_sealed"] = Seal(s2c, v["welcome_plain"]);
        v["ping_plain"] = FrameCodec.ToArray(new PingPacket(42, PingPacket.ThroughCluster));
        v["ping_sealed"] = Seal(c2s, v["ping_plain"]);
        v["pong_plain"] = FrameCodec.ToArray(new PongPacket(42, ServerTimeMs, PingPacket.ThroughCluster));
        v["pong_sealed"] = Seal(s2c, v["pong_plain"]);
        v["rekey_sealed"] = Seal(c2s, FrameCodec.ToArray(default(RekeyPacket)));
        c2s.RekeySend();
        v["ping_after_rekey_sealed"] = Seal(c2s, v["ping_plain"]);

        // The next secret is internal to SecureChannel: derive it as documented and prove the channel sealed with it.
        v["c2s_secret_after_rekey"] = KeyDerivationAlgorithm.HkdfSha256.Expand(secrets.ClientToServer, HandshakeCrypto.RekeyLabel, ProtocolLimits.KeyLength);
        using var fresh = new SecureChannel(v["c2s_secret_after_rekey"], new byte[ProtocolLimits.KeyLength]);
        Assert.Equal(v["ping_after_rekey_sealed"], Seal(fresh, v["ping_plain"]));

        v["error_plain"] = FrameCodec.ToArray(new ErrorPacket(ProtocolError.UnknownPacket, "unknown packet 0x1234"));

        v["host_capacity_plain"] = FrameCodec.ToArray(Capacity);
        v["heartbeat_plain"] = FrameCodec.ToArray(Heartbeat);
        v["heartbeat_ack_plain"] = FrameCodec.ToArray(HeartbeatAck);
        v["assign_map_plain"] = FrameCodec.ToArray(Assign);
        v["revoke_map_plain"] = FrameCodec.ToArray(Revoke);
        v["map_state_plain"] = FrameCodec.ToArray(MapState);
        v["ticket"] = TicketVector(coordinator, HandshakeCrypto.HostId(host.PublicKey)).Sign(coordinator);
        return v;
    }

    /// <summary>Parses the documented frame <paramref name="name"/> as a whole frame, header checks included, then as <typeparamref name="T"/>.</summary>
    private static T Decode<T>(string name) where T : IPacket<T>
    {
        var wire = new ReadOnlySequence<byte>(Doc(name));
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(wire, ProtocolLimits.DefaultMaxFrame, out var frame, out var consumed));
        Assert.Equal(wire.End, consumed);
        Assert.True(FrameCodec.TryRead(frame, out T packet), $"{DocPath}: {name} does not parse as {typeof(T).Name}");
        return packet;
    }

    /// <summary>The inner frames a session yields from <paramref name="wire"/>, as hex; REKEY is consumed by the session.</summary>
    private static List<string> ReadAll(FrameReader session, byte[] wire)
    {
        var frames = new List<string>();
        var buffer = new ReadOnlySequence<byte>(wire);
        ReadOutcome outcome;
        while ((outcome = session.TryReadFrame(ref buffer, out var frame, out var error)) == ReadOutcome.Frame)
        {
            var bytes = new byte[frame.Length];
            FrameCodec.WriteHeader(bytes, frame.Id, frame.Length - ProtocolLimits.HeaderLength);
            frame.Body.CopyTo(bytes.AsSpan(ProtocolLimits.HeaderLength));
            frames.Add(Convert.ToHexStringLower(bytes));
        }
        Assert.True(outcome == ReadOutcome.Incomplete && buffer.IsEmpty, $"stopped with {outcome} and {buffer.Length} bytes left");
        return frames;
    }

    private static byte[] Seal(SecureChannel channel, byte[] inner)
    {
        var sealedFrame = new byte[inner.Length + ProtocolLimits.SealOverhead];
        channel.Seal(inner, sealedFrame);
        return sealedFrame;
    }

    private static Dictionary<string, string> ReadDocumented()
    {
        var block = VectorsBlock.Match(File.ReadAllText(DocPath));
        Assert.True(block.Success, $"{DocPath} has no ```vectors block");
        var vectors = new Dictionary<string, string>();
        foreach (string line in block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = VectorLine.Match(line);
            Assert.True(match.Success, $"{DocPath}: vectors line '{line}' is not 'name = lowercase hex'");
            Assert.True(vectors.TryAdd(match.Groups[1].Value, match.Groups[2].Value), $"{DocPath}: vector {match.Groups[1].Value} appears twice");
        }
        return vectors;
    }

    private static byte[] Doc(string name) =>
        Documented.Value.TryGetValue(name, out string? hex) ? Convert.FromHexString(hex) : throw new KeyNotFoundException($"{DocPath}: no vector {name}");

    private static List<string> Hex(params string[] names) => names.Select(n => Documented.Value[n]).ToList();

    private static byte[] Range(int start) => Enumerable.Range(start, 32).Select(i => (byte)i).ToArray();

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
