using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// The <c>code</c> label of a metric: the error's name (<c>TicketUsed</c>, <c>Unavailable</c>), as docs/protocol.md
/// and <c>ErrorNames</c> spell it. Names are made once, so counting a refusal allocates nothing.
/// </summary>
public static class ErrorLabels
{
    private static readonly string[] Protocol = Names<ProtocolError>((ushort)ProtocolError.ClusterBase);
    private static readonly string[] Cluster = Names<ClusterError>(0);

    /// <summary>The name of <paramref name="code"/>; a cluster code (256 + n) by its <see cref="ClusterError"/> name; <c>Other</c> for a code this version does not know.</summary>
    public static string Of(ProtocolError code)
    {
        int value = (ushort)code;
        if (value < Protocol.Length) return Protocol[value];
        value -= (ushort)ProtocolError.ClusterBase;
        return value >= 0 && value < Cluster.Length ? Cluster[value] : "Other";
    }

    public static string Of(ClusterError code) => (ushort)code < Cluster.Length ? Cluster[(ushort)code] : "Other";

    private static string[] Names<T>(int length) where T : struct, Enum
    {
        if (length == 0) length = Enum.GetValues<T>().Max(v => Convert.ToInt32(v)) + 1;
        var names = new string[length];
        for (int i = 0; i < length; i++)
        {
            var value = (T)Enum.ToObject(typeof(T), i);
            names[i] = Enum.IsDefined(value) ? value.ToString() : "Other";
        }
        return names;
    }
}
