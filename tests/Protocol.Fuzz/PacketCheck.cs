using System.Buffers;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// Reads a parsed frame as the packet its id names, through that packet's own codec. A body the codec accepts must
/// write back to the very same bytes (one encoding per value, and a writer that accepts what the reader let in);
/// a ticket inside ENTER or ROUTE goes on through <see cref="Ticket.TryParse"/> and the host's verifier.
/// </summary>
internal static class PacketCheck
{
    /// <summary>The key KEY_SET samples are signed with, and the one the check verifies them under.</summary>
    internal static readonly Lazy<SigningIdentity> KeySetSigner = new(() => SigningIdentity.FromSeed(new byte[32]));

    private static readonly Lazy<TicketVerifier> Verifier = new(() =>
        new TicketVerifier([Vectors.Get("coordinator_public_key")], HandshakeCrypto.HostId(Vectors.Get("host_public_key"))));

    public static void Frame(in Frame frame)
    {
        switch ((PacketId)frame.Id)
        {
            case PacketId.Hello: RoundTrip<HelloPacket>(frame); break;
            case PacketId.ServerHello: RoundTrip<ServerHelloPacket>(frame); break;
            case PacketId.Identify: RoundTrip<IdentifyPacket>(frame); break;
            case PacketId.Welcome: RoundTrip<WelcomePacket>(frame); break;
            case PacketId.Error: RoundTrip<ErrorPacket>(frame); break;
            case PacketId.Ping: RoundTrip<PingPacket>(frame); break;
            case PacketId.Pong: RoundTrip<PongPacket>(frame); break;
            case PacketId.Rekey: RoundTrip<RekeyPacket>(frame); break;
            case PacketId.Bye: RoundTrip<ByePacket>(frame); break;
            case PacketId.KeySet:
                if (RoundTrip<KeySetPacket>(frame, out var keySet)) keySet.Verify(_ => KeySetSigner.Value.PublicKey);
                break;
            case PacketId.HostCapacity: RoundTrip<HostCapacityPacket>(frame); break;
            case PacketId.Heartbeat: RoundTrip<HeartbeatPacket>(frame); break;
            case PacketId.HeartbeatAck: RoundTrip<HeartbeatAckPacket>(frame); break;
            case PacketId.AssignMap: RoundTrip<AssignMapPacket>(frame); break;
            case PacketId.RevokeMap: RoundTrip<RevokeMapPacket>(frame); break;
            case PacketId.MapState: RoundTrip<MapStatePacket>(frame); break;
            case PacketId.ClaimTicket: RoundTrip<ClaimTicketPacket>(frame); break;
            case PacketId.ClaimResult: RoundTrip<ClaimResultPacket>(frame); break;
            case PacketId.MovePlayer: RoundTrip<MovePlayerPacket>(frame); break;
            case PacketId.MoveResult: RoundTrip<MoveResultPacket>(frame); break;
            case PacketId.PlayerLeft: RoundTrip<PlayerLeftPacket>(frame); break;
            case PacketId.Login: RoundTrip<LoginPacket>(frame); break;
            case PacketId.LoginOk: RoundTrip<LoginOkPacket>(frame); break;
            case PacketId.Resolve: RoundTrip<ResolvePacket>(frame); break;
            case PacketId.Route:
                if (RoundTrip<RoutePacket>(frame, out var route)) TicketOf(route.Ticket);
                break;
            case PacketId.Refused: RoundTrip<RefusedPacket>(frame); break;
            case PacketId.ReportUnreachable: RoundTrip<ReportUnreachablePacket>(frame); break;
            case PacketId.LatencyReport: RoundTrip<LatencyReportPacket>(frame); break;
            case PacketId.DbLoadChar: RoundTrip<DbLoadCharPacket>(frame); break;
            case PacketId.DbChar: RoundTrip<DbCharPacket>(frame); break;
            case PacketId.DbSaveChar: RoundTrip<DbSaveCharPacket>(frame); break;
            case PacketId.DbResult: RoundTrip<DbResultPacket>(frame); break;
            case PacketId.DbSetOnline: RoundTrip<DbSetOnlinePacket>(frame); break;
            case PacketId.Enter:
                if (RoundTrip<EnterPacket>(frame, out var enter)) TicketOf(enter.Ticket);
                break;
            case PacketId.Entered: RoundTrip<EnteredPacket>(frame); break;
            case PacketId.Move: RoundTrip<MovePacket>(frame); break;
            case PacketId.WarpRequest: RoundTrip<WarpRequestPacket>(frame); break;
            case PacketId.Sealed: break; // only FrameReader opens these (the sealed target)
            default: throw new Finding($"FrameCodec.TryParse passed id 0x{frame.Id:X4}, which PacketId does not define");
        }
    }

    private static void RoundTrip<T>(in Frame frame) where T : IPacket<T> => RoundTrip<T>(frame, out _);

    private static bool RoundTrip<T>(in Frame frame, out T packet) where T : IPacket<T>
    {
        if (!FrameCodec.TryRead(frame, out packet)) return false;
        byte[] written = FrameCodec.ToArray(packet);
        var original = new byte[frame.Length];
        FrameCodec.WriteHeader(original, frame.Id, frame.Length - ProtocolLimits.HeaderLength);
        frame.Body.CopyTo(original.AsSpan(ProtocolLimits.HeaderLength));
        Finding.Require(written.AsSpan().SequenceEqual(original),
            $"{typeof(T).Name} read {Convert.ToHexStringLower(original)} but writes {Convert.ToHexStringLower(written)}");
        return true;
    }

    /// <summary>A ticket as a host meets it: parsed, then verified (signature, window, host, epoch, replay).</summary>
    public static void TicketOf(byte[] wire)
    {
        if (Ticket.TryParse(wire, out var ticket, out int bodyLength))
        {
            Finding.Require(bodyLength + ProtocolLimits.SignatureLength == wire.Length, $"ticket body {bodyLength} + signature != {wire.Length} bytes");
            Finding.Require(ticket.ExpiresMs > ticket.IssuedMs, "a parsed ticket expires before it is issued");
        }
        Verifier.Value.Verify(wire, _ => 3, out _);
    }
}
