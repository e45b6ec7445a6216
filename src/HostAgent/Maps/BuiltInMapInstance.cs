using System.Collections.Concurrent;
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
    // Checked before every admission and every player packet: nothing is served once the lease ran out, even before
    // the agent's lease watcher gets to stop the instance (after a freeze, queued packets may come first).
    private readonly LeaseGate _lease = new(admission.Lease);
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly ConcurrentDictionary<uint, PlayerConnection> _byCharacter = new(); // each admitted character's newest connection
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
                var character = admission.Database is { } database ? new CharacterSync(database, ticket.CharId, map, ticket.Epoch, logger) : null;
                character?.Open();
                bool moved = false;
                Replace(ticket.CharId, connection);
                try
                {
                    moved = await StayAsync(connection, ticket, character, stopping);
                }
                finally
                {
                    Interlocked.Decrement(ref _players);
                    Interlocked.Decrement(ref _slots);
                    // A connection replaced by the same character's newer one says no goodbye: the player is still here.
                    bool current = _byCharacter.TryRemove(KeyValuePair.Create(ticket.CharId, connection));
                    if (!moved && current) await LeaveAsync(ticket, character);
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
    /// Makes <paramref name="connection"/> the character's one connection here, closing an older one: a player who
    /// came back with a new ticket (its old connection looked lost to it) is on the map once, and the old connection's
    /// end must not mark it offline or tell the coordinator it left.
    /// </summary>
    private void Replace(uint charId, PlayerConnection connection)
    {
        PlayerConnection? older = null;
        _byCharacter.AddOrUpdate(charId, connection, (_, previous) =>
        {
            older = previous;
            return connection;
        });
        if (older is null || ReferenceEquals(older, connection)) return;
        LogReplaced(logger, map, charId, older.Remote, connection.Remote);
        older.MarkReplaced();
    }

    [LoggerMessage(EventId = 5419, Level = LogLevel.Information,
        Message = "Map {Map}: char {CharId} came back from {Remote}; its older connection from {OlderRemote} is closed with SessionReplaced, without a goodbye")]
    private static partial void LogReplaced(ILogger logger, string map, uint charId, string olderRemote, string remote);

    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "Map {Map}: accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string map, SocketError error);
}
