using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// The placeholder map server (<c>maps.command</c> empty): a TCP listener that admits a player only with a valid
/// ticket (ENTER → ENTERED, docs/protocol.md "Map instance: ENTER/ENTERED"), up to <paramref name="maxPlayers"/>, and
/// closes a player's connection after <paramref name="idleTimeout"/> without a byte received. Past admission it speaks
/// no game protocol: whatever a player sends only keeps it alive.
/// </summary>
/// <param name="epoch">The epoch the instance runs under now (it changes when the map is reassigned to this host).</param>
public sealed partial class BuiltInMapInstance(
    string map, IPAddress bindAddress, int port, int maxPlayers, Func<ulong> epoch, PlayerAdmission admission, TimeSpan idleTimeout, ILogger logger)
    : IMapInstance
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _slots;   // admitted players plus those whose claim is under way: what max_players bounds
    private int _players; // admitted and still connected

    public string Map => map;
    public int Port => port;
    public MapRunState State { get; private set; } = MapRunState.Starting;

    /// <summary>Admitted players still connected (a connection that has not been admitted yet is not a player).</summary>
    public int Players => Volatile.Read(ref _players);

    // The built-in instance never restarts, so it has no state changes to announce after start.
    public event Action<IMapInstance>? StateChanged { add { } remove { } }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (State == MapRunState.Stopped) throw new MapStartException("the instance was stopped before it started");
        var listener = new TcpListener(bindAddress, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new MapStartException($"cannot listen on {bindAddress}:{port}: {e.SocketErrorCode}", e);
        }
        _listener = listener;
        State = MapRunState.Running;
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (State == MapRunState.Stopped) return;
        State = MapRunState.Stopped;
        await _stop.CancelAsync();
        _listener?.Stop();
        foreach (var socket in _connections.Keys) socket.Dispose();
        await _acceptLoop;
        await Task.WhenAll(_connections.Values);
        _listener?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(logger, map, e.SocketErrorCode);
                continue;
            }
            var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[socket] = served.Task;
            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(socket, stopping);
                }
                finally
                {
                    _connections.TryRemove(socket, out _);
                    served.SetResult();
                }
            }, CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        using (socket)
        {
            socket.NoDelay = true;
            var connection = new PlayerConnection(socket);
            try
            {
                if (await AdmitAsync(connection, stopping) is not { } ticket) return;
                bool moved = false;
                try
                {
                    moved = await StayAsync(connection, ticket, stopping);
                }
                finally
                {
                    if (!moved) _ = admission.Claimer.PlayerLeftAsync(ticket.CharId, map, ticket.Epoch);
                    Interlocked.Decrement(ref _players);
                    Interlocked.Decrement(ref _slots);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Idle, stopped, reset or refused: the player is gone either way.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Keeps an admitted player until it leaves, stays silent for the idle timeout, or moves away. Any frame counts as
    /// activity; WARP_REQUEST sends the character to another map through the coordinator (saved first), answered with
    /// MOVE — after which this instance lets the player go — or REFUSED with the coordinator's code (the player stays).
    /// </summary>
    /// <returns>True when the player moved on to another map; false when it left.</returns>
    private async Task<bool> StayAsync(PlayerConnection connection, Ticket ticket, CancellationToken stopping)
    {
        var input = connection.Input;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        while (true)
        {
            idle.CancelAfter(idleTimeout);
            var result = await input.ReadAsync(idle.Token);
            var buffer = result.Buffer;
            bool leave = false;
            while (!leave)
            {
                var outcome = connection.Frames.TryReadFrame(ref buffer, out var frame, out var error);
                if (outcome == ReadOutcome.Incomplete) break;
                if (outcome == ReadOutcome.Error)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    await connection.RefuseAsync(error, "invalid frame", admission.CloseGrace);
                    return false;
                }
                if (frame.Id == (ushort)PacketId.WarpRequest)
                {
                    if (!FrameCodec.TryRead(frame, out WarpRequestPacket warp))
                    {
                        input.AdvanceTo(buffer.Start, buffer.End);
                        await connection.RefuseAsync(ProtocolError.Malformed, "malformed WARP_REQUEST", admission.CloseGrace);
                        return false;
                    }
                    leave = await WarpAsync(connection, ticket, warp, stopping);
                }
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (leave) return true;
            if (result.IsCompleted) return false;
        }
    }

    /// <summary>Asks the coordinator to move the player; true when it has been sent on (MOVE), false when it stays (REFUSED).</summary>
    private async Task<bool> WarpAsync(PlayerConnection connection, Ticket ticket, WarpRequestPacket warp, CancellationToken stopping)
    {
        var outcome = await admission.Claimer.MoveAsync(ticket.CharId, map, epoch(), warp.ToMap, warp.State, stopping);
        if (outcome is { Moved: true, Route: { } route })
        {
            await connection.Frames.SendAsync(new MovePacket(ticket.CharId, route), cancellationToken: stopping);
            LogMoved(logger, map, ticket.CharId, route.Map, route.HostId, route.Epoch);
            return true;
        }
        LogMoveRefused(logger, map, ticket.CharId, warp.ToMap, outcome.Code, (ushort)outcome.Code);
        await connection.Frames.SendAsync(new RefusedPacket(0, outcome.Code, $"the coordinator did not move char {ticket.CharId} to {warp.ToMap}"),
            cancellationToken: stopping);
        return false;
    }

    [LoggerMessage(EventId = 5403, Level = LogLevel.Information, Message = "Map {Map}: char {CharId} saved and sent to {ToMap} on host {HostId} (epoch {Epoch})")]
    private static partial void LogMoved(ILogger logger, string map, uint charId, string toMap, string hostId, ulong epoch);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Information, Message = "Map {Map}: the coordinator refused to move char {CharId} to {ToMap}: {Code} ({CodeNumber})")]
    private static partial void LogMoveRefused(ILogger logger, string map, uint charId, string toMap, ProtocolError code, ushort codeNumber);

    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "Map {Map}: accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string map, SocketError error);
}
