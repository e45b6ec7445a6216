using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>
/// A player on a host's map instance: connected to the endpoint of a ROUTE, admitted by its ticket (ENTER →
/// ENTERED). The host refuses with ERROR and a ticket or cluster code (<see cref="RequestRefusedException"/>); an
/// unreachable host fails with <see cref="SocketException"/> (refused, or reset before ENTERED), a timeout, or
/// <see cref="ProtocolException"/> (Truncated: it closed the connection) — the cue to report it and ask again.
/// </summary>
public sealed class MapConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly FrameSession _frames;

    private MapConnection(Socket socket, PipeReader input, FrameSession frames, EnteredPacket entered)
    {
        _socket = socket;
        _input = input;
        _frames = frames;
        Entered = entered;
    }

    public EnteredPacket Entered { get; }

    /// <summary>Connects to <paramref name="route"/>'s endpoint and presents its ticket within <paramref name="timeout"/>.</summary>
    public static Task<MapConnection> EnterAsync(RoutePacket route, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        EnterAsync(route.Info, timeout, cancellationToken);

    /// <summary>Connects to <paramref name="route"/>'s endpoint (from ROUTE or MOVE) and presents its ticket within <paramref name="timeout"/>.</summary>
    public static async Task<MapConnection> EnterAsync(RouteInfo route, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var endpoint = ParseEndpoint(route.Endpoint);
        var socket = new Socket(endpoint.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : endpoint.AddressFamily,
            SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        // A NetworkStream needs a connected socket.
        var stream = new NetworkStream(socket, ownsSocket: false);
        var input = PipeReader.Create(stream);
        var frames = new FrameSession(PipeWriter.Create(stream)) { MaxInboundFrame = ProtocolLimits.HandshakeMaxFrame };
        try
        {
            await frames.SendAsync(new EnterPacket(route.Ticket), cancellationToken: deadline.Token);
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                var outcome = frames.TryReadFrame(ref buffer, out var frame, out var error);
                if (outcome == ReadOutcome.Error) throw new ProtocolException(error, "invalid frame from the map instance");
                if (outcome == ReadOutcome.Frame)
                {
                    if (FrameCodec.TryRead(frame, out EnteredPacket entered))
                    {
                        input.AdvanceTo(buffer.Start);
                        return new MapConnection(socket, input, frames, entered);
                    }
                    if (FrameCodec.TryRead(frame, out ErrorPacket refused)) throw new RequestRefusedException(refused.Code, refused.Message);
                    throw new ProtocolException(ProtocolError.UnexpectedPacket, $"unexpected packet 0x{frame.Id:X4} from the map instance");
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) throw new ProtocolException(ProtocolError.Truncated, "the map instance closed the connection");
            }
        }
        catch (Exception e)
        {
            await input.CompleteAsync();
            frames.Dispose();
            socket.Dispose();
            // A host killed between its accept and ENTERED resets the connection: that is the SocketException callers expect.
            if (e is IOException { InnerException: SocketException reset }) ExceptionDispatchInfo.Throw(reset);
            throw;
        }
    }

    /// <summary>
    /// Asks the built-in map instance to send the character to <paramref name="toMap"/> with <paramref name="state"/>
    /// (saved first). Returns the route to enter next (MOVE; this connection is then over), or throws
    /// <see cref="RequestRefusedException"/> with the coordinator's code (REFUSED; the character stays here).
    /// </summary>
    public async Task<RouteInfo> WarpAsync(string toMap, CharacterState state, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await _frames.SendAsync(new WarpRequestPacket(toMap, state), cancellationToken: deadline.Token);
        while (true)
        {
            var result = await _input.ReadAsync(deadline.Token);
            var buffer = result.Buffer;
            try
            {
                while (true)
                {
                    var outcome = _frames.TryReadFrame(ref buffer, out var frame, out var error);
                    if (outcome == ReadOutcome.Incomplete) break;
                    if (outcome == ReadOutcome.Error) throw new ProtocolException(error, "invalid frame from the map instance");
                    if (FrameCodec.TryRead(frame, out MovePacket move)) return move.Route;
                    if (FrameCodec.TryRead(frame, out RefusedPacket refused)) throw new RequestRefusedException(refused.Code, refused.Message);
                    if (FrameCodec.TryRead(frame, out ErrorPacket error2)) throw new ProtocolException(error2.Code, error2.Message);
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
            if (result.IsCompleted) throw new ProtocolException(ProtocolError.Truncated, "the map instance closed the connection");
        }
    }

    /// <summary>Keeps the player's presence alive (any frame counts as activity).</summary>
    public async Task KeepAliveAsync(CancellationToken cancellationToken = default) =>
        await _frames.SendAsync(new PingPacket(0, 0), cancellationToken: cancellationToken);

    /// <summary>
    /// Whether the host closes the connection within <paramref name="wait"/> (it stopped the map, died, or turned the
    /// player away); false when the wait ends first. Throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled, and <see cref="ProtocolException"/> with
    /// <see cref="ProtocolError.SessionReplaced"/> when the host closed it because the same character entered on
    /// another connection (another client, or this one's lost connection was taken over): do not enter again then,
    /// or the two clients take the character from each other in turn.
    /// </summary>
    public async Task<bool> ClosedByHostAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                ErrorPacket? replaced = null;
                ReadOutcome outcome;
                while ((outcome = _frames.TryReadFrame(ref buffer, out var frame, out _)) == ReadOutcome.Frame)
                    if (FrameCodec.TryRead(frame, out ErrorPacket error) && error.Code == ProtocolError.SessionReplaced) replaced = error;
                // Whatever does not parse is skipped with the rest of what arrived: only how the host ends matters here.
                _input.AdvanceTo(outcome == ReadOutcome.Error || result.IsCompleted ? result.Buffer.End : buffer.Start, result.Buffer.End);
                if (replaced is { } why) throw new ProtocolException(why.Code, why.Message);
                if (result.IsCompleted) return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true;
        }
    }

    private int _disposed;

    public static EndPoint ParseEndpoint(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(endpoint.AsSpan(colon + 1), out ushort port) || port == 0)
            throw new FormatException($"'{endpoint}' is not host:port");
        string host = endpoint[..colon].Trim('[', ']');
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    /// <summary>Closes the connection; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        await _input.CompleteAsync();
        _frames.Dispose();
        _socket.Dispose();
    }
}
