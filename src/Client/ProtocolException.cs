using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>The coordinator refused or ended the session with a documented error code, or the connection broke mid-protocol.</summary>
public sealed class ProtocolException(ProtocolError code, string message) : Exception($"{ErrorNames.Describe(code)}: {message}")
{
    public ProtocolError Code { get; } = code;

    /// <summary>What the peer said (or what went wrong), without the code.</summary>
    public string Reason { get; } = message;
}
