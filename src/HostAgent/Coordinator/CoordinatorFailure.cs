using System.Net.Sockets;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>Why a connection attempt or session failed, in one log-friendly phrase, and whether retrying soon can help.</summary>
public static class CoordinatorFailure
{
    public const ProtocolError IdentityMismatch = ProtocolError.ClusterBase + 4;
    public const ProtocolError HostBanned = ProtocolError.ClusterBase + 5;
    public const ProtocolError HostNotApproved = ProtocolError.ClusterBase + 9;

    /// <summary>
    /// Errors the coordinator will answer again however often we ask: a key that is not the pinned one, a server
    /// without encryption or speaking another version, an identity it refuses, a ban. Retrying fast only fills logs.
    /// SessionReplaced on a session this agent still uses means another process connected with this host's key: the
    /// two would take turns replacing each other, so this one backs off for the refusal delay (protocol.md §6).
    /// </summary>
    public static bool IsPermanent(Exception e) => e is ProtocolException
    {
        Code: ProtocolError.BadSignature or ProtocolError.EncryptionRequired or ProtocolError.UnsupportedVersion
            or ProtocolError.IdentityRejected or IdentityMismatch or HostBanned or HostNotApproved
            or ProtocolError.SessionReplaced,
    };

    public static string Describe(Exception e, TimeSpan handshakeTimeout) => e switch
    {
        ProtocolException p => $"{Name(p.Code)} ({(ushort)p.Code}): {p.Reason}",
        SocketException s => SocketFailure.Describe(s),
        IOException { InnerException: SocketException s } => SocketFailure.Describe(s),
        OperationCanceledException => $"no answer within {handshakeTimeout.TotalSeconds:0.#} s (timeout)",
        _ => e.Message,
    };

    /// <summary>The code's name, cluster errors marked as such (<c>cluster HostBanned</c>).</summary>
    public static string Name(ProtocolError code)
    {
        string name = ErrorNames.Name(code);
        return ErrorNames.IsCluster(code) && !name.StartsWith("cluster ", StringComparison.Ordinal) ? "cluster " + name : name;
    }
}
