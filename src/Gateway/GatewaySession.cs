using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using P2PCluster.Gateway.Handlers;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// One connection (docs/protocol.md): <see cref="SessionHandshake"/> takes it from HELLO to WELCOME and decides its
/// role, <see cref="SessionReadLoop"/> reads its frames, and once established each packet goes to its handler
/// (<see cref="PacketHandlers"/>); replies leave through the connection's batching writer. Any protocol violation
/// sends the documented ERROR (sealed once the channel exists) and closes. Grain pushes arrive through <see cref="HostConnectionObserver"/>.
/// </summary>
public sealed partial class GatewaySession(ConnectionContext connection, GatewayContext context, bool databaseProxy = false) : ISessionFrameHandler
{
    private readonly PipeReader _input = connection.Transport.Input;
    private readonly FrameSession _frames = new(connection.Transport.Input, connection.Transport.Output);
    private readonly IdleWatch _idle = new(context.Time, connection.Transport.Input.CancelPendingRead);
    private readonly SessionHandshake _handshake = new(context, databaseProxy);
    private readonly KeySetAnnouncer _keySet = new(context.Keys);
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
    private volatile bool _closeRequested;
    private long _lastRekey = Stopwatch.GetTimestamp();
    private Task _reattach = Task.CompletedTask;
    private HostLink? _host;
    private PongQueue? _pongs;
    private TicketSigner? _tickets;

    /// <summary>What every connection shares: the cluster, keys, limits, metrics.</summary>
    internal GatewayContext Context => context;
    internal string ConnectionId => connection.ConnectionId;
    internal CancellationToken Closed => connection.ConnectionClosed;

    /// <summary>The connection's frame reader and batching writer.</summary>
    internal FrameSession Frames => _frames;

    /// <summary>Closes the connection once it has sent no complete frame for its role's idle timeout.</summary>
    internal IdleWatch Idle => _idle;

    /// <summary>What this session is since IDENTIFY (and LOGIN): decides which packets it may send (<see cref="PacketHandlers"/>).</summary>
    internal SessionRole Role { get; private set; }

    /// <summary>A game client's login and characters; null for other roles.</summary>
    internal PlayerState? Player { get; private set; }

    /// <summary>The database proxy's requests; null but at <c>coordinator.db_proxy_port</c>.</summary>
    internal DbRequests? Db { get; private set; }

    /// <summary>The character session grains this connection calls, kept from IDENTIFY on: a host's players, a player's characters.</summary>
    internal GrainRefs<uint, IPlayerSessionGrain> Characters { get; private set; } = null!;

    /// <summary>Character references a host's (or its database proxy's) connection keeps: its players, with room to spare.</summary>
    public const int MaxPlayersKept = 4096;

    /// <summary>The host key this session holds, and at the gateway port the host's registration.</summary>
    internal HostLink Host => _host ??= new HostLink(this, context, databaseProxy);

    /// <summary>The host registered through this session (gateway port); null for other roles.</summary>
    internal string? HostId => _host?.HostId;

    internal TicketSigner Tickets => _tickets ??= new TicketSigner(context);
    private PongQueue Pongs => _pongs ??= new PongQueue(this, context);

    /// <summary>The peer said BYE: its leaving is no failure.</summary>
    internal bool Clean { get; set; }

    /// <summary>The session was closed from outside its read loop (a ban, a newer session of the host): nothing follows its ERROR.</summary>
    internal bool CloseRequested => _closeRequested;

    /// <summary>Host agents, and clients that asked in HELLO, are sent the key set (KEY_SET) and each change of it.</summary>
    internal bool LearnsKeys => Role == SessionRole.HostAgent || _handshake.LearnsKeySet;

    /// <summary>Serves the connection until it closes, then gives back what it held (<see cref="EndAsync"/>).</summary>
    public async Task RunAsync()
    {
        _handshake.StartDeadline(_input.CancelPendingRead);
        try
        {
            await new SessionReadLoop(_frames, _idle, context.Metrics, context.Coordinator.MaxFramesPerSecond).RunAsync(this);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; nothing to tell it.
        }
        catch (Exception e)
        {
            LogUnexpected(context.Logger, e, connection.ConnectionId);
            await FailAsync(ProtocolError.Internal, "internal error");
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <summary>Gives back what the session holds and tells the grains it is gone, in this order.</summary>
    private async Task EndAsync()
    {
        _handshake.Admission.Exit();
        await _stop.CancelAsync();
        await _reattach;
        if (Db is not null) await Db.DrainAsync();
        if (_host is not null) await _host.DetachAsync(Clean);
        await _frames.DisposeAsync();
        await _input.CompleteAsync();
        _handshake.Dispose();
        _idle.Dispose();
        _stop.Dispose();
    }

    ValueTask<bool> ISessionFrameHandler.HandleAsync(Frame frame) =>
        _handshake.Established ? OnEstablishedAsync(frame) : OnHandshakeAsync(frame);

    private async ValueTask<bool> OnHandshakeAsync(Frame frame)
    {
        bool ok = await _handshake.HandleAsync(this, frame);
        if (_handshake.Established && HostId is not null) _reattach = Host.ReattachLoopAsync(_stop.Token);
        return ok;
    }

    private async ValueTask<bool> OnEstablishedAsync(Frame frame)
    {
        // A changed key set reaches a learning peer with the next packet it sends after this gateway read the change
        // (an agent's heartbeat, a client's keep-alive PING).
        if (_keySet.Changed && LearnsKeys) await AnnounceKeySetAsync();
        if (frame.Id == (ushort)PacketId.Ping) return await Pongs.PingAsync(frame);
        if (!await DrainPongsAsync()) return false;
        if (_frames.Channel is not null
            && Stopwatch.GetElapsedTime(_lastRekey) > TimeSpan.FromSeconds(context.Security.KeyRotationInterval))
        {
            await _frames.RekeyAsync();
            _lastRekey = Stopwatch.GetTimestamp();
        }
        return PacketHandlers.For(frame.Id, Role) is { } handler
            ? await handler.HandleAsync(this, frame)
            : await FailAsync(ProtocolError.UnexpectedPacket, $"packet 0x{frame.Id:X4} is not valid here");
    }

    async ValueTask<bool> ISessionFrameHandler.ReadCanceledAsync()
    {
        if (_handshake.Expired)
            return await FailAsync(ProtocolError.HandshakeTimeout, $"handshake not completed within {context.Coordinator.HandshakeTimeoutMs} ms");
        // The deadline passed while this side was still registering the host, and the registration then
        // succeeded: WELCOME is out and the work is done, so the session goes on rather than being thrown away.
        return !_closeRequested && _handshake.Established;
    }

    ValueTask<bool> ISessionFrameHandler.BatchDoneAsync() => DrainPongsAsync();
    ValueTask<bool> ISessionFrameHandler.FailAsync(ProtocolError code, string message) => FailAsync(code, message);
    bool ISessionFrameHandler.CloseRequested => _closeRequested;

    private ValueTask<bool> DrainPongsAsync() => _pongs is null ? ValueTask.FromResult(true) : _pongs.DrainAsync();

    /// <summary>Sends the peer the key set (KEY_SET) if there is one (<see cref="KeySetAnnouncer"/>); false once the peer is gone.</summary>
    internal ValueTask<bool> AnnounceKeySetAsync() =>
        _keySet.Next(_handshake.TrustedKeyId) is { } announcement ? _frames.SendAsync(announcement) : ValueTask.FromResult(true);

    /// <summary>IDENTIFY decided what the session is.</summary>
    internal void Identified(SessionRole role, PlayerState? player = null, DbRequests? db = null)
    {
        (Role, Player, Db) = (role, player, db);
        Characters = new(role == SessionRole.Guest ? PlayerState.MaxCharactersKept : MaxPlayersKept, charId => context.Grains.GetGrain<IPlayerSessionGrain>((long)charId));
    }

    /// <summary>A game client's LOGIN succeeded: the session is the account's player from now on.</summary>
    internal void LoggedIn(int accountId)
    {
        Player!.AccountId = accountId;
        Role = SessionRole.Player;
    }

    /// <summary>Queues <paramref name="packet"/> for the peer (the writer flushes each batch it takes); false once the peer is gone.</summary>
    internal ValueTask<bool> SendAsync<T>(T packet) where T : IPacket<T> => _frames.SendAsync(packet);

    /// <summary>Closes the connection from outside its read loop: tells the peer why, then ends the loop.</summary>
    internal async Task CloseAsync(ProtocolError code, string message)
    {
        _closeRequested = true;
        try
        {
            await _frames.SendAsync(new ErrorPacket(code, message));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
        }
        _input.CancelPendingRead();
    }

    /// <summary>Counts the rejection, sends ERROR if the channel allows, and returns false (close).</summary>
    internal async ValueTask<bool> FailAsync(ProtocolError code, string message)
    {
        context.Metrics.Reject(code);
        LogRejected(context.Logger, connection.ConnectionId, code, message);
        try
        {
            await _frames.SendAsync(new ErrorPacket(code, message));
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
        }
        return false;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{ConnectionId}: rejected with {Code}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string connectionId, ProtocolError code, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "{ConnectionId}: unexpected failure in the gateway session")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string connectionId);
}
