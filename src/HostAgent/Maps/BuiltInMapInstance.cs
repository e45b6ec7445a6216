using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// The placeholder map server (<c>maps.command</c> empty): a TCP listener that admits connections up to
/// <paramref name="maxPlayers"/>, counts each open one as a player, and closes it after
/// <paramref name="idleTimeout"/> without a byte received. It speaks no game protocol; <see cref="AdmitAsync"/> is
/// where the player-session work checks tickets.
/// </summary>
public sealed partial class BuiltInMapInstance(string map, IPAddress bindAddress, int port, int maxPlayers, TimeSpan idleTimeout, ILogger logger)
    : IMapInstance
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _players;

    public string Map => map;
    public int Port => port;
    public MapRunState State { get; private set; } = MapRunState.Starting;
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
            // Count first, so concurrent admissions cannot overshoot the limit.
            if (Interlocked.Increment(ref _players) > maxPlayers || !await AdmitAsync(socket))
            {
                Interlocked.Decrement(ref _players);
                return;
            }
            try
            {
                var buffer = new byte[1024];
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    idle.CancelAfter(idleTimeout);
                    if (await socket.ReceiveAsync(buffer, SocketFlags.None, idle.Token) == 0) return;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Idle, stopped or reset: the player is gone either way.
            }
            finally
            {
                Interlocked.Decrement(ref _players);
            }
        }
    }

    /// <summary>Whom this instance lets in (within the player limit). Today: anyone. The player-session work replaces this with a ticket check.</summary>
    private static Task<bool> AdmitAsync(Socket socket) => Task.FromResult(socket.Connected);

    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "Map {Map}: accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string map, SocketError error);
}
