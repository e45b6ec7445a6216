using System.Buffers;
using System.Net;
using NSec.Cryptography;
using P2PCluster.Protocol.Rathena;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// Writes each target's starting inputs, all produced by the real code or read from docs/protocol.md's vectors: the
/// documented handshake conversations both ways, the documented sealed frames, one frame of every packet id, and
/// the rAthena handoff packets of tests/Protocol.Tests/Rathena/HandoffVectors. Fails if a packet id has no seed.
/// </summary>
internal static class SeedCorpus
{
    private const byte Whole = 0x00;      // one segment, established frame limit
    private const byte SplitBy3 = 0x88;   // segments of 3 bytes (Chunk.Split)

    public static int Write(string directory)
    {
        var samples = SamplePackets.All();
        var missing = Enum.GetValues<PacketId>().Where(id => id != PacketId.Sealed)
            .Where(id => !samples.Values.Any(frame => frame[0] == (byte)id && frame[1] == (byte)((ushort)id >> 8))).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"no seed frame for {string.Join(", ", missing)}: add one to SamplePackets");

        var v = Vectors.Documented;
        var codec = new Dictionary<string, byte[]>();
        foreach (var (name, frame) in samples) codec[name] = [Whole, .. frame];
        foreach (var (name, bytes) in v.Where(p => p.Key.EndsWith("_plain") || p.Key is "hello" or "server_hello"))
            codec["doc_" + name] = [Whole, .. bytes];
        codec["split_stream"] = [SplitBy3, .. samples["heartbeat"], .. samples["ping"], .. samples["move_result_ok"]];
        codec["handoff_zone"] = [Whole, .. Handoff(new NotifyZoneServerPacket(HandoffVariant.Classic, 150000, "prontera", Zone("203.0.113.9", 5121)).Write)];
        codec["handoff_zone_ext"] = [Whole, .. Handoff(new NotifyZoneServerPacket(HandoffVariant.Extended, 150000, "prontera", Zone("203.0.113.9", 5121)).Write)];
        codec["handoff_move"] = [Whole, .. Handoff(new ServerMovePacket(HandoffVariant.Classic, "payon", 162, 233, Zone("192.0.2.17", 6121)).Write)];
        codec["handoff_move_ext"] = [Whole, .. Handoff(new ServerMovePacket(HandoffVariant.Extended, "yuno_fild01", 1023, 1023, Zone("198.51.100.200", 65535)).Write)];

        var plaintext = PlaintextConversation();
        var handshake = new Dictionary<string, byte[]>
        {
            ["server_side"] = [0x00, .. v["hello"], .. v["identify_sealed"], .. v["ping_sealed"], .. v["rekey_sealed"], .. v["ping_after_rekey_sealed"]],
            ["server_side_split"] = [SplitBy3, .. v["hello"], .. v["identify_sealed"]],
            ["server_side_plaintext"] = [0x02, .. plaintext.Hello, .. plaintext.Identify, .. v["ping_plain"]],
            ["client_side_plaintext"] = [0x03, .. plaintext.ServerHello, .. v["welcome_plain"], .. v["pong_plain"]],
            ["client_side"] = [0x01, .. v["server_hello"], .. v["welcome_sealed"], .. v["pong_sealed"]],
            ["client_side_error"] = [0x01, .. v["error_plain"]],
        };

        var sealedSeeds = new Dictionary<string, byte[]>
        {
            ["wire"] = [0x00, .. v["identify_sealed"], .. v["ping_sealed"], .. v["rekey_sealed"], .. v["ping_after_rekey_sealed"]],
            ["wire_split"] = [SplitBy3, .. v["identify_sealed"], .. v["ping_sealed"]],
            ["records"] = [0x01, 0x00, .. Records(v["identify_plain"], v["ping_plain"], samples["rekey"], v["ping_plain"], samples["heartbeat"])],
            ["records_tampered"] = [0x03, 0x17, .. Records(v["ping_plain"], v["ping_plain"])],
            ["records_sealed_inside"] = [0x01, 0x00, .. Records(v["ping_sealed"])],
        };

        int count = 0;
        foreach (var (target, seeds) in new[] { ("codec", codec), ("handshake", handshake), ("sealed", sealedSeeds) })
        {
            string dir = Path.Combine(directory, target);
            Directory.CreateDirectory(dir);
            foreach (var (name, bytes) in seeds)
            {
                File.WriteAllBytes(Path.Combine(dir, name), bytes);
                count++;
            }
        }
        return count;
    }

    /// <summary>The documented conversation with encryption off (its transcript, so its signatures, differ from the encrypted one).</summary>
    private static (byte[] Hello, byte[] ServerHello, byte[] Identify) PlaintextConversation()
    {
        using var coordinator = SigningIdentity.FromSeed(Vectors.Get("coordinator_seed"));
        using var host = SigningIdentity.FromSeed(Vectors.Get("host_seed"));
        using var client = new ClientHandshake(PeerRole.HostAgent, [coordinator.PublicKey], requireEncryption: false,
            Key.Import(KeyAgreementAlgorithm.X25519, Vectors.Get("client_ephemeral_private"), KeyBlobFormat.RawPrivateKey));
        using var server = new ServerHandshake(coordinator, encryption: false, Vectors.Get("server_ephemeral_private"));
        var hello = client.CreateHello();
        if (server.Accept(hello, out var reply, out _) != ProtocolError.None || client.Accept(reply, out _) != ProtocolError.None)
            throw new InvalidOperationException("the documented keys no longer complete a plaintext handshake");
        return (FrameCodec.ToArray(hello), FrameCodec.ToArray(reply), FrameCodec.ToArray(client.CreateIdentify(host, 0, "127.0.0.1:6121")));
    }

    private static ZoneServerAddress Zone(string ip, ushort port) => new(IPAddress.Parse(ip), port);

    private static byte[] Handoff(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Records(params byte[][] plaintexts) =>
        plaintexts.SelectMany<byte[], byte>(p => p.Length <= byte.MaxValue ? [(byte)p.Length, .. p] : throw new ArgumentException("a record holds at most 255 bytes")).ToArray();
}
