using System.Net.Sockets;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>Why a connection attempt or session failed, in one log-friendly phrase, and whether retrying soon can help.</summary>
public static class CoordinatorFailure
{
    // ClusterError n travels as 256 + n (docs/protocol.md §5); named here so logs need no grain contracts.
    private static readonly string[] ClusterErrors =
        ["None", "InvalidArgument", "StaleEpoch", "PolicyViolation", "IdentityMismatch", "HostBanned", "InvalidTransition", "NotFound",
         "HostDeclaredDead", "HostNotApproved"];

    public const ProtocolError IdentityMismatch = ProtocolError.ClusterBase + 4;
    public const ProtocolError HostBanned = ProtocolError.ClusterBase + 5;
    public const ProtocolError HostNotApproved = ProtocolError.ClusterBase + 9;

    /// <summary>
    /// Errors the coordinator will answer again however often we ask: a key that is not the pinned one, a server
    /// without encryption or speaking another version, an identity it refuses, a ban. Retrying fast only fills logs.
    /// </summary>
    public static bool IsPermanent(Exception e) => e is ProtocolException
    {
        Code: ProtocolError.BadSignature or ProtocolError.EncryptionRequired or ProtocolError.UnsupportedVersion
            or ProtocolError.IdentityRejected or IdentityMismatch or HostBanned or HostNotApproved,
    };

    public static string Describe(Exception e, TimeSpan handshakeTimeout) => e switch
    {
        ProtocolException p => $"{Name(p.Code)} ({(ushort)p.Code}): {Detail(p)}",
        SocketException s => Describe(s),
        IOException { InnerException: SocketException s } => Describe(s),
        OperationCanceledException => $"no answer within {handshakeTimeout.TotalSeconds:0.#} s (timeout)",
        _ => e.Message,
    };

    public static string Name(ProtocolError code) =>
        (ushort)code >= (ushort)ProtocolError.ClusterBase
            ? (ushort)code - 256 < ClusterErrors.Length ? "cluster " + ClusterErrors[(ushort)code - 256] : $"cluster error {(ushort)code - 256}"
            : code.ToString();

    private static string Describe(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "connect timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "cannot resolve the host name",
        SocketError.ConnectionReset => "connection reset",
        _ => $"{s.SocketErrorCode}: {s.Message}",
    };

    /// <summary>The server's text without ProtocolException's "Code (n): " prefix.</summary>
    private static string Detail(ProtocolException p)
    {
        int end = p.Message.IndexOf("): ", StringComparison.Ordinal);
        return end < 0 ? p.Message : p.Message[(end + 3)..];
    }
}
