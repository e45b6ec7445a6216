using System.Net.Sockets;

namespace P2PCluster.Client;

/// <summary>A failed connect or a dropped connection, in a short phrase for people (<c>connection refused</c>).</summary>
public static class SocketFailure
{
    public static string Describe(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "connect timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "cannot resolve the host name",
        SocketError.ConnectionReset => "connection reset",
        _ => $"{s.SocketErrorCode}: {s.Message}",
    };
}
