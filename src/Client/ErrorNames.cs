using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>
/// Names for the error codes of docs/protocol.md §5, including the cluster's (<c>ClusterError</c> n travels as
/// 256 + n): clients and logs name a code without referencing the grain contracts (and with them Orleans).
/// </summary>
public static class ErrorNames
{
    // Indexed by ClusterError's value; src/Grains.Interfaces/ClusterError.cs is the source, and a test compares the two.
    private static readonly string[] Cluster =
    [
        "None", "InvalidArgument", "StaleEpoch", "PolicyViolation", "IdentityMismatch", "HostBanned", "InvalidTransition", "NotFound",
        "HostDeclaredDead", "HostNotApproved", "LoginFailed", "AccountBlocked", "MapUnavailable", "TicketUsed", "TicketExpired",
        "StoreUnavailable", "NotOnMap", "OutOfBounds", "ImplausibleDelta", "VersionConflict",
    ];

    /// <summary>Every cluster error name this library knows, by <c>ClusterError</c> value.</summary>
    public static IReadOnlyList<string> ClusterErrors => Cluster;

    /// <summary>Whether the code is a cluster error (256 + n).</summary>
    public static bool IsCluster(ProtocolError code) => (ushort)code >= (ushort)ProtocolError.ClusterBase;

    /// <summary>The code's name (<c>ServerBusy</c>, <c>LoginFailed</c>), or <c>cluster error n</c> / <c>error n</c> for a code this version does not know.</summary>
    public static string Name(ProtocolError code)
    {
        if (IsCluster(code))
        {
            int n = (ushort)code - (ushort)ProtocolError.ClusterBase;
            return n < Cluster.Length ? Cluster[n] : $"cluster error {n}";
        }
        return Enum.IsDefined(code) ? code.ToString() : $"error {(ushort)code}";
    }

    /// <summary>Name and number: <c>LoginFailed (266)</c>.</summary>
    public static string Describe(ProtocolError code) => $"{Name(code)} ({(ushort)code})";
}
