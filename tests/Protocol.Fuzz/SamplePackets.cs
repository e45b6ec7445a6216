namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// One frame of every packet, with the field values of tests/Protocol.Tests/FrameCodecTests (its "every packet" list),
/// written by the real codec: seeds for ids that the documented vectors do not cover.
/// </summary>
internal static class SamplePackets
{
    private static readonly CharacterRecord Record = new(119, 59, 99, 50, 123_456_789_012, 9_876_543, 1_000_000,
        90, 80, 70, 60, 50, 40, 3, 2, 4_321, 5_000, 210, 300);

    private static readonly CharacterState State = new(119, 59, 99, 50, 123_456_789_012, 9_876_543, 1_000_000, 4_321, 210);

    public static Dictionary<string, byte[]> All()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var sig = Enumerable.Range(100, 64).Select(i => (byte)i).ToArray();
        const string host = "h0123456789abcdef0123";
        return new()
        {
            ["hello"] = FrameCodec.ToArray(new HelloPacket(1, 3, PeerRole.GameClient, HelloPacket.SupportsEncryption, key)),
            ["server_hello"] = FrameCodec.ToArray(new ServerHelloPacket(1, ServerHelloPacket.Encrypted, key, key[..8], sig)),
            ["identify_anonymous"] = FrameCodec.ToArray(IdentifyPacket.Anonymous),
            ["identify_host"] = FrameCodec.ToArray(new IdentifyPacket(IdentityType.Ed25519, key, 1, "203.0.113.9:6121", sig)),
            ["welcome"] = FrameCodec.ToArray(new WelcomePacket(0xDEADBEEF12345678, 16384, 3600, host)),
            ["error"] = FrameCodec.ToArray(new ErrorPacket(ProtocolError.RateLimited, "slow down — ünïcode ok")),
            ["ping"] = FrameCodec.ToArray(new PingPacket(ulong.MaxValue, PingPacket.ThroughCluster)),
            ["pong"] = FrameCodec.ToArray(new PongPacket(7, 1764115200000, 1)),
            ["rekey"] = FrameCodec.ToArray(default(RekeyPacket)),
            ["bye"] = FrameCodec.ToArray(default(ByePacket)),
            ["key_set"] = FrameCodec.ToArray(new KeySetPacket(1764115200000,
                [new AnnouncedKey(key, 1764115100000, 1764719960000, false), new AnnouncedKey(sig[32..], 1700000000000, 0, true)], default, default)
                .Sign(PacketCheck.KeySetSigner.Value)),
            ["host_capacity"] = FrameCodec.ToArray(new HostCapacityPacket(5, 100, 80, 85, 100)),
            ["heartbeat"] = FrameCodec.ToArray(new HeartbeatPacket(77, 412, 655, 12345,
                [new MapReport("prontera", 3, MapRunState.Running, 42), new MapReport("1@tower", 9, MapRunState.Starting, 0)])),
            ["heartbeat_ack"] = FrameCodec.ToArray(new HeartbeatAckPacket(77, 1764115200000)),
            ["assign_map"] = FrameCodec.ToArray(new AssignMapPacket("geffen", 12, 150)),
            ["revoke_map"] = FrameCodec.ToArray(new RevokeMapPacket("geffen", 12, RevokeReason.StaleEpoch)),
            ["map_state"] = FrameCodec.ToArray(new MapStatePacket("geffen", 12, MapRunState.Running, 6121)),
            ["claim_ticket"] = FrameCodec.ToArray(new ClaimTicketPacket(9, 150000, "prontera", 3, key[..16])),
            ["claim_result_admitted"] = FrameCodec.ToArray(new ClaimResultPacket(9, 150000, ProtocolError.None, 2000001, State)),
            ["claim_result_refused"] = FrameCodec.ToArray(new ClaimResultPacket(9, 150000, ProtocolError.ClusterBase + 13, 0)),
            ["login"] = FrameCodec.ToArray(new LoginPacket("player1", "pässwörd")),
            ["login_ok"] = FrameCodec.ToArray(new LoginOkPacket(2000001, (byte)'F',
                [new CharacterEntry(150000, 0, 4001, 99, "Ålice", "prontera", 156, 191), new CharacterEntry(150001, 2, 0, 1, "Bob", "1@tower", 0, 0)])),
            ["resolve"] = FrameCodec.ToArray(new ResolvePacket(42, 150000, "prontera")),
            ["route"] = FrameCodec.ToArray(new RoutePacket(42, 150000, "prontera", 1, host, "203.0.113.9:6150", 3, 1764115260000, Vectors.Get("ticket"))),
            ["refused"] = FrameCodec.ToArray(new RefusedPacket(42, ProtocolError.ClusterBase + 12, "no host runs prontera right now — retry")),
            ["enter"] = FrameCodec.ToArray(new EnterPacket(Vectors.Get("ticket"))),
            ["entered"] = FrameCodec.ToArray(new EnteredPacket(2000001, 150000, "prontera", 3, State)),
            ["move_player"] = FrameCodec.ToArray(new MovePlayerPacket(11, 150000, "prontera", 3, "geffen", State)),
            ["move_result_ok"] = FrameCodec.ToArray(new MoveResultPacket(11, 150000, ProtocolError.None,
                new RouteInfo("geffen", 0, host, "198.51.100.7:6151", 4, 1764115260000, sig))),
            ["move_result_refused"] = FrameCodec.ToArray(new MoveResultPacket(11, 150000, ProtocolError.ClusterBase + 12, null)),
            ["move"] = FrameCodec.ToArray(new MovePacket(150000, new RouteInfo("geffen", 1, host, "[2001:db8::7]:6151", 4, 1764115260000, sig))),
            ["warp_request"] = FrameCodec.ToArray(new WarpRequestPacket("geffen", State)),
            ["report_unreachable"] = FrameCodec.ToArray(new ReportUnreachablePacket(12, 150000, "prontera", host, 3)),
            ["latency_report"] = FrameCodec.ToArray(new LatencyReportPacket([new HostLatency(host, 42), new HostLatency("h9", 65535)])),
            ["player_left"] = FrameCodec.ToArray(new PlayerLeftPacket(150000, "prontera", 3)),
            ["db_load_char"] = FrameCodec.ToArray(new DbLoadCharPacket(5, 150000, "prontera", 3)),
            ["db_char"] = FrameCodec.ToArray(new DbCharPacket(5, 150000, ProtocolError.None, 17, Record)),
            ["db_char_refused"] = FrameCodec.ToArray(new DbCharPacket(5, 150000, ProtocolError.ClusterBase + 16)),
            ["db_save_char"] = FrameCodec.ToArray(new DbSaveCharPacket(6, 150000, "prontera", 3, 17, key[..16], Record)),
            ["db_set_online"] = FrameCodec.ToArray(new DbSetOnlinePacket(7, 150000, "prontera", 3, true, key[16..])),
            ["db_result"] = FrameCodec.ToArray(new DbResultPacket(6, 150000, ProtocolError.None, 18)),
        };
    }
}
