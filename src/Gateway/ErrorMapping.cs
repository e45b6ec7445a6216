using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Grain errors on the wire: <see cref="ClusterError"/> n becomes code 256 + n; the message, never a stack trace.</summary>
public static class ErrorMapping
{
    public static ProtocolError ToProtocol(ClusterError code) => ProtocolError.ClusterBase + (ushort)code;
}
