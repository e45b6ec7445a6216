using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>A run that cannot go on (a limit hit, a server error, a stuck connection), with a message for the operator.</summary>
public sealed class LoadToolException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The ERROR code when the gateway refused a handshake; null otherwise.</summary>
    public ProtocolError? Refusal { get; init; }
}
