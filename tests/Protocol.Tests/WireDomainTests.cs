using System.Buffers;

namespace P2PCluster.Protocol.Tests;

/// <summary>
/// The codecs of the packets peers send the coordinator reject values outside the cluster's domain — a map name or
/// host id that is not one, a char id above 2^31−1, an epoch or version above 2^63−1 — so no handler checks them again.
/// </summary>
public sealed class WireDomainTests
{
    private const uint BigChar = (uint)int.MaxValue + 1;
    private const ulong BigEpoch = (ulong)long.MaxValue + 1;
    private const string BadMap = "no such map";
    private const string Host = "h0123456789abcdef0123";
    private static readonly byte[] Nonce = new byte[16];
    private static readonly CharacterRecord Record = new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);

    public static TheoryData<string> OutOfDomain => new(Packets().Keys);

    private static Dictionary<string, byte[]> Packets() => new()
    {
        ["resolve_char"] = FrameCodec.ToArray(new ResolvePacket(1, BigChar, "prontera")),
        ["resolve_map"] = FrameCodec.ToArray(new ResolvePacket(1, 150000, BadMap)),
        ["report_char"] = FrameCodec.ToArray(new ReportUnreachablePacket(1, BigChar, "prontera", Host, 3)),
        ["report_map"] = FrameCodec.ToArray(new ReportUnreachablePacket(1, 150000, BadMap, Host, 3)),
        ["report_host"] = FrameCodec.ToArray(new ReportUnreachablePacket(1, 150000, "prontera", "not a host", 3)),
        ["report_epoch"] = FrameCodec.ToArray(new ReportUnreachablePacket(1, 150000, "prontera", Host, BigEpoch)),
        ["latency_host"] = FrameCodec.ToArray(new LatencyReportPacket([new HostLatency(Host, 1), new HostLatency("not/a/host", 2)])),
        ["claim_char"] = FrameCodec.ToArray(new ClaimTicketPacket(1, BigChar, "prontera", 3, Nonce)),
        ["claim_map"] = FrameCodec.ToArray(new ClaimTicketPacket(1, 150000, BadMap, 3, Nonce)),
        ["claim_epoch"] = FrameCodec.ToArray(new ClaimTicketPacket(1, 150000, "prontera", BigEpoch, Nonce)),
        ["move_char"] = FrameCodec.ToArray(new MovePlayerPacket(1, BigChar, "prontera", 3, "geffen", default)),
        ["move_from"] = FrameCodec.ToArray(new MovePlayerPacket(1, 150000, BadMap, 3, "geffen", default)),
        ["move_to"] = FrameCodec.ToArray(new MovePlayerPacket(1, 150000, "prontera", 3, BadMap, default)),
        ["move_epoch"] = FrameCodec.ToArray(new MovePlayerPacket(1, 150000, "prontera", BigEpoch, "geffen", default)),
        ["left_char"] = FrameCodec.ToArray(new PlayerLeftPacket(BigChar, "prontera", 3)),
        ["left_map"] = FrameCodec.ToArray(new PlayerLeftPacket(150000, BadMap, 3)),
        ["left_epoch"] = FrameCodec.ToArray(new PlayerLeftPacket(150000, "prontera", BigEpoch)),
        ["heartbeat_map"] = FrameCodec.ToArray(new HeartbeatPacket(1, 0, 0, 0, [new MapReport("prontera", 3, MapRunState.Running, 1), new MapReport(BadMap, 4, MapRunState.Running, 0)])),
        ["map_state_map"] = FrameCodec.ToArray(new MapStatePacket(BadMap, 3, MapRunState.Running, 6121)),
        ["db_load_char"] = FrameCodec.ToArray(new DbLoadCharPacket(1, BigChar, "prontera", 3)),
        ["db_load_map"] = FrameCodec.ToArray(new DbLoadCharPacket(1, 150000, BadMap, 3)),
        ["db_load_epoch"] = FrameCodec.ToArray(new DbLoadCharPacket(1, 150000, "prontera", BigEpoch)),
        ["db_save_char"] = FrameCodec.ToArray(new DbSaveCharPacket(1, BigChar, "prontera", 3, 0, Nonce, Record)),
        ["db_save_map"] = FrameCodec.ToArray(new DbSaveCharPacket(1, 150000, BadMap, 3, 0, Nonce, Record)),
        ["db_save_epoch"] = FrameCodec.ToArray(new DbSaveCharPacket(1, 150000, "prontera", BigEpoch, 0, Nonce, Record)),
        ["db_save_version"] = FrameCodec.ToArray(new DbSaveCharPacket(1, 150000, "prontera", 3, BigEpoch, Nonce, Record)),
        ["db_online_char"] = FrameCodec.ToArray(new DbSetOnlinePacket(1, BigChar, "prontera", 3, true, Nonce)),
        ["db_online_map"] = FrameCodec.ToArray(new DbSetOnlinePacket(1, 150000, BadMap, 3, true, Nonce)),
        ["db_online_epoch"] = FrameCodec.ToArray(new DbSetOnlinePacket(1, 150000, "prontera", BigEpoch, true, Nonce)),
    };

    [Theory]
    [MemberData(nameof(OutOfDomain))]
    public void AValueOutsideTheClusterDomainIsMalformed(string name)
    {
        var bytes = new ReadOnlySequence<byte>(Packets()[name]);
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(bytes, ushort.MaxValue, out var frame, out _));
        bool read = (PacketId)frame.Id switch
        {
            PacketId.Resolve => FrameCodec.TryRead(frame, out ResolvePacket _),
            PacketId.ReportUnreachable => FrameCodec.TryRead(frame, out ReportUnreachablePacket _),
            PacketId.LatencyReport => FrameCodec.TryRead(frame, out LatencyReportPacket _),
            PacketId.ClaimTicket => FrameCodec.TryRead(frame, out ClaimTicketPacket _),
            PacketId.MovePlayer => FrameCodec.TryRead(frame, out MovePlayerPacket _),
            PacketId.PlayerLeft => FrameCodec.TryRead(frame, out PlayerLeftPacket _),
            PacketId.Heartbeat => FrameCodec.TryRead(frame, out HeartbeatPacket _),
            PacketId.MapState => FrameCodec.TryRead(frame, out MapStatePacket _),
            PacketId.DbLoadChar => FrameCodec.TryRead(frame, out DbLoadCharPacket _),
            PacketId.DbSaveChar => FrameCodec.TryRead(frame, out DbSaveCharPacket _),
            PacketId.DbSetOnline => FrameCodec.TryRead(frame, out DbSetOnlinePacket _),
            var id => throw new InvalidOperationException($"no case for {id}"),
        };
        Assert.False(read, $"{name} was read");
    }

    [Fact]
    public void TheDomainsEdgesAreValid()
    {
        Assert.True(FrameCodec.TryRead(Frame(new ResolvePacket(1, int.MaxValue, "1@tower")), out ResolvePacket _));
        Assert.True(FrameCodec.TryRead(Frame(new PlayerLeftPacket(int.MaxValue, "a", long.MaxValue)), out PlayerLeftPacket _));
        Assert.True(FrameCodec.TryRead(Frame(new DbSaveCharPacket(1, 1, "elevenchars", long.MaxValue, long.MaxValue, Nonce, Record)), out DbSaveCharPacket _));
    }

    private static Frame Frame<T>(T packet) where T : IPacket<T>
    {
        FrameCodec.TryParse(new ReadOnlySequence<byte>(FrameCodec.ToArray(packet)), ushort.MaxValue, out var frame, out _);
        return frame;
    }
}
