using Microsoft.Extensions.Logging;
using P2PCluster.Gateway.Handlers;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// A connection's handshake (docs/protocol.md): HELLO → SERVER_HELLO → IDENTIFY → WELCOME. Admits the peer
/// (<see cref="SessionAdmission"/>), agrees the channel, checks the identity and decides the session's role (a host
/// agent registered with its grain), then sends WELCOME; past <c>coordinator.handshake_timeout_ms</c> it cancels the read.
/// </summary>
public sealed partial class SessionHandshake(GatewayContext context, bool databaseProxy) : IDisposable
{
    private enum State { AwaitHello, AwaitIdentify, Established }

    private readonly ServerHandshake _handshake = new(context.CoordinatorKey, context.Security.EncryptionEnabled) { Preferred = context.Keys.StillSigning };
    private CancellationTokenSource? _deadline;
    private CancellationTokenRegistration _expiry;
    private State _state = State.AwaitHello;
    private volatile bool _expired;
    private long _helloAt; // when HELLO was read, for the handshake duration

    /// <summary>The places this connection holds from HELLO on; given back when it closes.</summary>
    public SessionAdmission Admission { get; } = new(context);

    /// <summary>WELCOME is out: frames go to the session's packet handlers.</summary>
    public bool Established => _state == State.Established;

    /// <summary>The deadline passed before WELCOME.</summary>
    public bool Expired => _expired && _state != State.Established;

    /// <summary>What the peer said it is in HELLO.</summary>
    public PeerRole PeerRole => _handshake.Role;

    /// <summary>The peer asked in HELLO to be sent the key set (KEY_SET).</summary>
    public bool LearnsKeySet => _handshake.LearnsKeySet;

    /// <summary>The id of the coordinator key the peer's handshake trusted.</summary>
    public ReadOnlyMemory<byte> TrustedKeyId => _handshake.Signer.KeyId;

    /// <summary>Starts the deadline: if it passes before WELCOME, <paramref name="cancelRead"/> wakes the read loop.</summary>
    public void StartDeadline(Action cancelRead)
    {
        _deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(context.Coordinator.HandshakeTimeoutMs));
        _expiry = _deadline.Token.Register(() =>
        {
            if (_state == State.Established) return;
            _expired = true;
            cancelRead();
        });
    }

    /// <summary>Handles one handshake frame of <paramref name="session"/>; false (after ERROR) closes the connection.</summary>
    public ValueTask<bool> HandleAsync(GatewaySession session, Frame frame) =>
        _state == State.AwaitHello ? OnHelloAsync(session, frame) : OnIdentifyAsync(session, frame);

    private async ValueTask<bool> OnHelloAsync(GatewaySession session, Frame frame)
    {
        _helloAt = GatewayMetrics.Now();
        if (frame.Id != (ushort)PacketId.Hello) return await session.FailAsync(ProtocolError.UnexpectedPacket, $"expected HELLO, got 0x{frame.Id:X4}");
        if (!FrameCodec.TryRead(frame, out HelloPacket hello)) return await session.FailAsync(ProtocolError.Malformed, "malformed HELLO");
        if (await Admission.EnterAsync(hello.Role, session.Closed) is { } refused)
            return refused.Code != ProtocolError.None && await session.FailAsync(refused.Code, refused.Message);
        var error = _handshake.Accept(hello, out var reply, out var channel);
        if (error != ProtocolError.None) return await session.FailAsync(error, ProtocolErrorText.Describe(error));
        await session.Frames.SendAsync(reply);
        session.Frames.Channel = channel;
        _state = State.AwaitIdentify;
        return true;
    }

    private async ValueTask<bool> OnIdentifyAsync(GatewaySession session, Frame frame)
    {
        if (frame.Id != (ushort)PacketId.Identify) return await session.FailAsync(ProtocolError.UnexpectedPacket, $"expected IDENTIFY, got 0x{frame.Id:X4}");
        if (!FrameCodec.TryRead(frame, out IdentifyPacket identify)) return await session.FailAsync(ProtocolError.Malformed, "malformed IDENTIFY");
        var error = _handshake.Verify(identify);
        if (error != ProtocolError.None) return await session.FailAsync(error, "identity signature does not verify");

        string identity = "";
        if (databaseProxy)
        {
            if (await DbProxyAdmission.CheckAsync(context, _handshake.Role, identify) is { } refused) return await session.FailAsync(refused.Code, refused.Message);
            identity = HandshakeCrypto.HostId(identify.PublicKey.Span);
            session.Identified(SessionRole.DatabaseProxy, db: new DbRequests(session, identity));
            // One proxy session per host key, as at the gateway port: the older one closes once its requests are answered.
            if (session.Host.Claim(identity) is { } previous) _ = previous.Host.ReplaceAsync(identity);
        }
        else if (_handshake.Role == PeerRole.HostAgent)
        {
            if (identify.Type != IdentityType.Ed25519) return await session.FailAsync(ProtocolError.IdentityRejected, "host agents must identify with their Ed25519 key");
            if (identify.HostKind > (byte)HostKind.Vps) return await session.FailAsync(ProtocolError.Malformed, $"unknown host kind {identify.HostKind}");
            identity = HandshakeCrypto.HostId(identify.PublicKey.Span);
            if (await session.Host.RegisterAsync(identity, identify) is { } failed) return await session.FailAsync(failed.Code, failed.Message);
            session.Identified(SessionRole.HostAgent);
        }
        else if (_handshake.Role == PeerRole.GameClient)
        {
            session.Identified(SessionRole.Guest, player: new PlayerState(session));
        }
        else
        {
            session.Identified(SessionRole.Tool);
        }
        return await WelcomeAsync(session, identity);
    }

    /// <summary>The role is decided: the session is established and the peer told (WELCOME, the key set, held pushes).</summary>
    private async ValueTask<bool> WelcomeAsync(GatewaySession session, string identity)
    {
        _state = State.Established;
        Admission.LeaveHandshake();
        session.Idle.Start(TimeSpan.FromMilliseconds(session.Role switch
        {
            SessionRole.DatabaseProxy => context.Coordinator.DbProxyIdleTimeoutMs,
            SessionRole.HostAgent => context.Coordinator.HostIdleTimeoutMs,
            _ => context.Coordinator.ClientIdleTimeoutMs,
        }));
        var frames = session.Frames;
        frames.MaxInboundFrame = context.Coordinator.MaxFrameSize + (frames.Channel is null ? 0 : ProtocolLimits.SealOverhead);
        await frames.SendAsync(new WelcomePacket(context.NextSessionId(), (ushort)context.Coordinator.MaxFrameSize,
            (uint)context.Security.KeyRotationInterval, identity));
        if (session.LearnsKeys) await session.AnnounceKeySetAsync();
        if (session.HostId is not null) await session.Host.OpenPushesAsync(); // a grain's pushes waited for WELCOME
        context.Metrics.HandshakeDone(_helloAt);
        LogEstablished(context.Logger, session.ConnectionId, _handshake.Role, identity.Length > 0 ? identity : "anonymous", frames.Channel is not null);
        return true;
    }

    public void Dispose()
    {
        _expiry.Dispose();
        _deadline?.Dispose();
        _handshake.Dispose();
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "{ConnectionId}: established as {Role} {Identity} (encrypted: {Encrypted})")]
    private static partial void LogEstablished(ILogger logger, string connectionId, PeerRole role, string identity, bool encrypted);
}
