using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>The coordinator refused or ended the session with a documented error code, or the connection broke mid-protocol.</summary>
public sealed class ProtocolException(ProtocolError code, string message) : Exception($"{code} ({(ushort)code}): {message}")
{
    public ProtocolError Code { get; } = code;
}
