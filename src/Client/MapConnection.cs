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
        var frames = new FrameSession(input, PipeWriter.Create(stream)) { MaxInboundFrame = ProtocolLimits.HandshakeMaxFrame };
        try
        {
            await frames.SendAsync(new EnterPacket(route.Ticket), cancellationToken: deadline.Token);
            var read = await frames.ReadAsync(deadline.Token);
            if (read.Outcome == ReadOutcome.Error) throw new ProtocolException(read.Error, "invalid frame from the map instance");
            if (read.Outcome != ReadOutcome.Frame) throw new ProtocolException(ProtocolError.Truncated, "the map instance closed the connection");
            using (new FrameLease(frames))
            {
                if (FrameCodec.TryRead(read.Frame, out EnteredPacket entered)) return new MapConnection(socket, input, frames, entered);
                if (FrameCodec.TryRead(read.Frame, out ErrorPacket refused)) throw new RequestRefusedException(refused.Code, refused.Message);
                throw new ProtocolException(ProtocolError.UnexpectedPacket, $"unexpected packet 0x{read.Frame.Id:X4} from the map instance");
            }
        }
        catch (Exception e)
        {
            socket.Dispose();
            await input.CompleteAsync();
            await frames.DisposeAsync();
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
            var read = await _frames.ReadAsync(deadline.Token);
            if (read.Outcome == ReadOutcome.Error) throw new ProtocolException(read.Error, "invalid frame from the map instance");
            if (read.Outcome != ReadOutcome.Frame) throw new ProtocolException(ProtocolError.Truncated, "the map instance closed the connection");
            using var frame = new FrameLease(_frames);
            if (FrameCodec.TryRead(read.Frame, out MovePacket move)) return move.Route;
            if (FrameCodec.TryRead(read.Frame, out RefusedPacket refused)) throw new RequestRefusedException(refused.Code, refused.Message);
            if (FrameCodec.TryRead(read.Frame, out ErrorPacket error)) throw new ProtocolException(error.Code, error.Message);
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
                var read = await _frames.ReadAsync(timeout.Token);
                if (read.Outcome == ReadOutcome.Frame)
                {
                    using var frame = new FrameLease(_frames);
                    if (FrameCodec.TryRead(read.Frame, out ErrorPacket error) && error.Code == ProtocolError.SessionReplaced)
                        throw new ProtocolException(error.Code, error.Message);
                    continue;
                }
                // Whatever does not parse is skipped with the rest of what arrives: only how the host ends matters here.
                if (read.Outcome == ReadOutcome.Error) await _frames.Reader.DiscardToEndAsync(timeout.Token);
                return true;
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
        _socket.Dispose();
        await _input.CompleteAsync();
        await _frames.DisposeAsync();
    }
}
