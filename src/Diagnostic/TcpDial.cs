using System.Diagnostics;
using System.Net.Sockets;

namespace P2PCluster.Diagnostic;

/// <summary>One TCP connect from where the diagnostic runs, bounded by a timeout; closes at once and sends nothing.</summary>
public static class TcpDial
{
    /// <summary>Null when the connection opened, else why not; <paramref name="elapsed"/> either way.</summary>
    public static async Task<(string? Error, TimeSpan Elapsed)> TryAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, bounded.Token);
            return (null, watch.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ($"no answer within {timeout.TotalMilliseconds:0} ms", watch.Elapsed);
        }
        catch (SocketException e)
        {
            return (e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to host",
                _ => e.Message,
            }, watch.Elapsed);
        }
    }
}
