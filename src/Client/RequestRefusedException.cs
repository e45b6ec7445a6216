using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>The coordinator or a host refused one request (REFUSED, or ERROR at a map instance); <see cref="Code"/> is from docs/protocol.md §5.</summary>
public sealed class RequestRefusedException(ProtocolError code, string message) : Exception($"{Describe(code)}: {message}")
{
    public ProtocolError Code { get; } = code;

    /// <summary>Cluster error n is code 256 + n; named when known.</summary>
    public static string Describe(ProtocolError code) =>
        (ushort)code >= (ushort)ProtocolError.ClusterBase
            ? $"cluster error {(ushort)code - (ushort)ProtocolError.ClusterBase} ({(ushort)code})"
            : $"{code} ({(ushort)code})";
}
