using System.Buffers;

namespace P2PCluster.Protocol.Tests;

public sealed class FrameCodecTests
{
    /// <summary>One instance of every packet, with non-trivial field values.</summary>
    public static TheoryData<string> PacketNames => new(AllPackets().Keys);

    private static Dictionary<string, (byte[] Frame, Func<Frame, object?> Read)> AllPackets()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var sig = Enumerable.Range(100, 64).Select(i => (byte)i).ToArray();
        return new()
        {
            ["hello"] = Entry(new HelloPacket(1, 3, PeerRole.GameClient, HelloPacket.SupportsEncryption, key)),
            ["hello_preferring_a_key"] = Entry(new HelloPacket(1, 3, PeerRole.HostAgent, HelloPacket.SupportsEncryption | HelloPacket.PrefersKey, key, key[..8])),
            ["server_hello"] = Entry(new ServerHelloPacket(1, ServerHelloPacket.Encrypted, key, key[..8], sig)),
            ["identify_anonymous"] = Entry(IdentifyPacket.Anonymous),
            ["identify_host"] = Entry(new IdentifyPacket(IdentityType.Ed25519, key, 1, "203.0.113.9:6121", sig)),
            ["welcome"] = Entry(new WelcomePacket(0xDEADBEEF12345678, 16384, 3600, "h0123456789abcdef0123")),
            ["error"] = Entry(new ErrorPacket(ProtocolError.RateLimited, "slow down — ünïcode ok")),
            ["ping"] = Entry(new PingPacket(ulong.MaxValue, PingPacket.ThroughCluster)),
            ["pong"] = Entry(new PongPacket(7, 1764115200000, 1)),
            ["rekey"] = Entry(default(RekeyPacket)),
            ["bye"] = Entry(default(ByePacket)),
            ["key_set"] = Entry(new KeySetPacket(1764115200000,
                [new AnnouncedKey(key, 1764115100000, 1764719960000, false), new AnnouncedKey(sig[..32], 1764115260000, 0, false),
                 new AnnouncedKey(sig[32..], 1700000000000, 0, true)], key[..8], sig)),
            ["host_capacity"] = Entry(new HostCapacityPacket(5, 100, 80, 85, 100)),
            ["heartbeat_empty"] = Entry(new HeartbeatPacket(1, 0, 1000, 0, [])),
            ["heartbeat"] = Entry(new HeartbeatPacket(77, 412, 655, 12345,
                [new MapReport("prontera", 3, MapRunState.Running, 42), new MapReport("1@tower", 9, MapRunState.Starting, 0)])),
            ["heartbeat_ack"] = Entry(new HeartbeatAckPacket(77, 1764115200000)),
            ["assign_map"] = Entry(new AssignMapPacket("geffen", 12, 150)),
            ["revoke_map"] = Entry(new RevokeMapPacket("geffen", 12, RevokeReason.StaleEpoch)),
            ["map_state"] = Entry(new MapStatePacket("geffen", 12, MapRunState.Running, 6121)),
            ["claim_ticket"] = Entry(new ClaimTicketPacket(9, 150000, "prontera", 3, key[..16])),
            ["claim_result_admitted"] = Entry(new ClaimResultPacket(9, 150000, ProtocolError.None, 2000001, State)),
            ["claim_result_refused"] = Entry(new ClaimResultPacket(9, 150000, ProtocolError.ClusterBase + 13, 0)),
            ["login"] = Entry(new LoginPacket("player1", "pässwörd")),
            ["login_ok_empty"] = Entry(new LoginOkPacket(2000001, (byte)'M', [])),
            ["login_ok"] = Entry(new LoginOkPacket(2000001, (byte)'F',
                [new CharacterEntry(150000, 0, 4001, 99, "Ålice", "prontera", 156, 191), new CharacterEntry(150001, 2, 0, 1, "Bob", "1@tower", 0, 0)])),
            ["resolve"] = Entry(new ResolvePacket(42, 150000, "prontera")),
            ["route"] = Entry(new RoutePacket(42, 150000, "prontera", 1, "h0123456789abcdef0123", "203.0.113.9:6150", 3, 1764115260000, sig)),
            ["refused"] = Entry(new RefusedPacket(42, ProtocolError.ClusterBase + 12, "no host runs prontera right now — retry")),
            ["enter"] = Entry(new EnterPacket(sig)),
            ["entered"] = Entry(new EnteredPacket(2000001, 150000, "prontera", 3, State)),
            ["move_player"] = Entry(new MovePlayerPacket(11, 150000, "prontera", 3, "geffen", State)),
            ["move_result_ok"] = Entry(new MoveResultPacket(11, 150000, ProtocolError.None,
                new RouteInfo("geffen", 0, "h0123456789abcdef0123", "198.51.100.7:6151", 4, 1764115260000, sig))),
            ["move_result_refused"] = Entry(new MoveResultPacket(11, 150000, ProtocolError.ClusterBase + 12, null)),
            ["move"] = Entry(new MovePacket(150000, new RouteInfo("geffen", 1, "h0123456789abcdef0123", "[2001:db8::7]:6151", 4, 1764115260000, sig))),
            ["warp_request"] = Entry(new WarpRequestPacket("geffen", State)),
            ["report_unreachable"] = Entry(new ReportUnreachablePacket(12, 150000, "prontera", "h0123456789abcdef0123", 3)),
            ["latency_report"] = Entry(new LatencyReportPacket([new HostLatency("h0123456789abcdef0123", 42), new HostLatency("h9", 65535)])),
            ["latency_report_empty"] = Entry(new LatencyReportPacket([])),
            ["player_left"] = Entry(new PlayerLeftPacket(150000, "prontera", 3)),
            ["db_load_char"] = Entry(new DbLoadCharPacket(5, 150000, "prontera", 3)),
            ["db_char"] = Entry(new DbCharPacket(5, 150000, ProtocolError.None, 17, Record)),
            ["db_char_refused"] = Entry(new DbCharPacket(5, 150000, ProtocolError.ClusterBase + 16)),
            ["db_save_char"] = Entry(new DbSaveCharPacket(6, 150000, "prontera", 3, 17, key[..16], Record)),
            ["db_set_online"] = Entry(new DbSetOnlinePacket(7, 150000, "prontera", 3, true, key[16..])),
            ["db_result"] = Entry(new DbResultPacket(6, 150000, ProtocolError.None, 18)),
            ["db_result_refused"] = Entry(new DbResultPacket(6, 150000, ProtocolError.ClusterBase + 19, 17)),
        };
    }

    private static readonly CharacterRecord Record = new(119, 59, 99, 50, 123_456_789_012, 9_876_543, 1_000_000,
        90, 80, 70, 60, 50, 40, 3, 2, 4_321, 5_000, 210, 300);

    private static readonly CharacterState State = new(119, 59, 99, 50, 123_456_789_012, 9_876_543, 1_000_000, 4_321, 210);

    private static (byte[], Func<Frame, object?>) Entry<T>(T packet) where T : IPacket<T> =>
        (FrameCodec.ToArray(packet), frame => FrameCodec.TryRead(frame, out T read) ? Describe(read) : null);

    /// <summary>Records holding ReadOnlyMemory compare by reference; compare their bytes instead.</summary>
    private static string Describe(object packet) =>
        string.Join(";", packet.GetType().GetProperties().Select(p => p.GetValue(packet) switch
        {
            ReadOnlyMemory<byte> m => Convert.ToHexString(m.Span),
            byte[] b => Convert.ToHexString(b),
            IReadOnlyList<MapReport> maps => string.Join(",", maps),
            IReadOnlyList<CharacterEntry> characters => string.Join(",", characters),
            IReadOnlyList<HostLatency> hosts => string.Join(",", hosts),
            IReadOnlyList<AnnouncedKey> keys => string.Join(",", keys.Select(k => $"{Convert.ToHexString(k.PublicKey.Span)}/{k.ActivateMs}/{k.RetireMs}/{k.Revoked}")),
            RouteInfo route => $"{route with { Ticket = [] }}{Convert.ToHexString(route.Ticket)}",
            var v => v?.ToString(),
        }));

    [Theory]
    [MemberData(nameof(PacketNames))]
    public void EveryPacketRoundTripsAtEverySplitPoint(string name)
    {
        var (bytes, read) = AllPackets()[name];
        object? expected = read(Parse(new ReadOnlySequence<byte>(bytes), bytes.Length));
        Assert.NotNull(expected);
        for (int cut = 1; cut < bytes.Length; cut++)
            Assert.Equal(expected, read(Parse(Sequences.Split(bytes, cut), bytes.Length)));
        Assert.Equal(expected, read(Parse(Sequences.Bytewise(bytes), bytes.Length)));
    }

    [Theory]
    [MemberData(nameof(PacketNames))]
    public void EveryPrefixIsIncomplete(string name)
    {
        var (bytes, _) = AllPackets()[name];
        for (int length = 0; length < bytes.Length; length++)
        {
            var status = FrameCodec.TryParse(Sequences.Bytewise(bytes.AsMemory(0, length)), 65535, out _, out var consumed);
            Assert.Equal(ParseStatus.Incomplete, status);
        }
    }

    [Theory]
    [MemberData(nameof(PacketNames))]
    public void TrailingOrMissingBodyBytesAreRejected(string name)
    {
        var (bytes, read) = AllPackets()[name];
        var longer = bytes.Append((byte)0).ToArray();
        longer[2]++; // length covers the extra byte
        Assert.Null(read(Parse(new ReadOnlySequence<byte>(longer), longer.Length)));
        if (bytes.Length > 4)
        {
            var shorter = bytes[..^1];
            shorter[2]--;
            Assert.Null(read(Parse(new ReadOnlySequence<byte>(shorter), shorter.Length)));
        }
    }

    [Fact]
    public void TwoFramesInOneBufferParseOneAfterTheOther()
    {
        var a = FrameCodec.ToArray(new PingPacket(1, 0));
        var b = FrameCodec.ToArray(new PingPacket(2, 0));
        var buffer = Sequences.Split(a.Concat(b).ToArray(), 3, 11, 17);
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(buffer, 100, out var first, out var consumed));
        Assert.True(FrameCodec.TryRead(first, out PingPacket p1));
        buffer = buffer.Slice(consumed);
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(buffer, 100, out var second, out consumed));
        Assert.True(FrameCodec.TryRead(second, out PingPacket p2));
        Assert.Equal((1ul, 2ul), (p1.Token, p2.Token));
        Assert.True(buffer.Slice(consumed).IsEmpty);
    }

    [Fact]
    public void OversizeLengthIsRejectedFromTheHeaderAlone()
    {
        byte[] header = [0x00, 0x50, 0xFF, 0xFF]; // HELLO claiming 65535 bytes, no body sent
        Assert.Equal(ParseStatus.TooLarge, FrameCodec.TryParse(new ReadOnlySequence<byte>(header), 512, out _, out _));
    }

    [Fact]
    public void UnknownIdIsRejectedFromTheHeaderAlone()
    {
        byte[] header = [0x34, 0x12, 0x00, 0x10];
        Assert.Equal(ParseStatus.UnknownId, FrameCodec.TryParse(new ReadOnlySequence<byte>(header), 512, out _, out _));
        byte[] http = "GET / HTTP/1.1\r\n"u8.ToArray();
        Assert.Equal(ParseStatus.UnknownId, FrameCodec.TryParse(new ReadOnlySequence<byte>(http), 512, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void LengthBelowTheHeaderIsMalformed(byte length)
    {
        byte[] header = [0x05, 0x50, length, 0x00];
        Assert.Equal(ParseStatus.Malformed, FrameCodec.TryParse(new ReadOnlySequence<byte>(header), 512, out _, out _));
    }

    [Fact]
    public void BadFieldValuesAreRejected()
    {
        var key = new byte[32];
        Assert.False(Read<HelloPacket>(FrameCodec.ToArray(new HelloPacket(2, 1, PeerRole.HostAgent, 1, key)))); // min > max
        Assert.False(Read<HelloPacket>(FrameCodec.ToArray(new HelloPacket(0, 1, PeerRole.HostAgent, 1, key)))); // version 0
        Assert.False(Read<HelloPacket>(FrameCodec.ToArray(new HelloPacket(1, 1, (PeerRole)9, 1, key))));        // unknown role
        var identify = FrameCodec.ToArray(new IdentifyPacket(IdentityType.Ed25519, key, 0, "a:1", new byte[64]));
        identify[4] = 7; // unknown identity type
        Assert.False(Read<IdentifyPacket>(identify));
        var error = FrameCodec.ToArray(new ErrorPacket(ProtocolError.Internal, "x"));
        error[^1] = 0xFF; // not UTF-8
        Assert.False(Read<ErrorPacket>(error));
    }

    [Theory]
    [InlineData(300, "a")]
    [InlineData(200, "é")]     // 2 bytes each: clipped to 128 characters
    [InlineData(100, "😀")]    // surrogate pairs are never split
    public void LongErrorMessagesAreClippedToWhatTheReaderAccepts(int repeat, string unit)
    {
        var message = string.Concat(Enumerable.Repeat(unit, repeat));
        var frame = FrameCodec.ToArray(new ErrorPacket(ProtocolError.Internal, message));
        Assert.True(FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var f, out _) == ParseStatus.Complete);
        Assert.True(FrameCodec.TryRead(f, out ErrorPacket read));
        Assert.StartsWith(read.Message, message);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(read.Message), ProtocolLimits.MaxErrorMessageBytes - 3, ProtocolLimits.MaxErrorMessageBytes);
    }

    private static bool Read<T>(byte[] frame) where T : IPacket<T> =>
        FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var f, out _) == ParseStatus.Complete && FrameCodec.TryRead(f, out T _);

    private static Frame Parse(ReadOnlySequence<byte> buffer, int expectedLength)
    {
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(buffer, 65535, out var frame, out var consumed));
        Assert.Equal(expectedLength, frame.Length);
        Assert.True(buffer.Slice(consumed).IsEmpty);
        return frame;
    }
}
