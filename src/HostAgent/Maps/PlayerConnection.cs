using System.IO.Pipelines;
using System.Net.Sockets;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>A player's connection to a built-in instance: plain framing, its frame session (reader and batching writer). Does not own the socket.</summary>
internal sealed class PlayerConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly CancellationTokenSource _replaced = new();

    public PlayerConnection(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(stream);
        Frames = new FrameSession(_input, PipeWriter.Create(stream)) { MaxInboundFrame = ProtocolLimits.HandshakeMaxFrame };
        Remote = socket.RemoteEndPoint?.ToString() ?? "?";
    }

    public FrameSession Frames { get; }
    public string Remote { get; }

    /// <summary>Cancelled when the same character entered on a newer connection (<see cref="MarkReplaced"/>).</summary>
    public CancellationToken Replaced => _replaced.Token;

    /// <summary>
    /// Tells this connection's own read loop that a newer connection took its character: the loop sends ERROR
    /// SessionReplaced and closes, so the player there knows not to come back (no second reader on the pipe).
    /// </summary>
    public void MarkReplaced()
    {
        try
        {
            _replaced.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    /// <summary>
    /// Sends ERROR, then half-closes and discards what the player still sends until it closes or <paramref name="grace"/>
    /// passes: closing with unread bytes in the receive buffer would reset the connection, and a reset can destroy the
    /// ERROR before the player has read it.
    /// </summary>
    public async Task RefuseAsync(ProtocolError code, string message, TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await Frames.SendAsync(new ErrorPacket(code, message), cancellationToken: timeout.Token);
            await Frames.Writer.CompleteAsync(grace); // the ERROR is on the wire before the half-close
            _socket.Shutdown(SocketShutdown.Send);
            await Frames.Reader.DiscardToEndAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone, or still sending after the grace: close anyway.
        }
    }

    /// <summary>Ends the connection both ways now: the read loop sees its end and the player is let go.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _replaced.Dispose();
        // The writer first: completing the input disposes the stream both share, and what is queued (MOVE) would be lost.
        await Frames.DisposeAsync();
        await _input.CompleteAsync();
    }
}
