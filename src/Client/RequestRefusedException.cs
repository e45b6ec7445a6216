using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>The coordinator or a host refused one request (REFUSED, or ERROR at a map instance); <see cref="Code"/> is from docs/protocol.md §5.</summary>
public sealed class RequestRefusedException(ProtocolError code, string message) : Exception($"{ErrorNames.Describe(code)}: {message}")
{
    public ProtocolError Code { get; } = code;

    /// <summary>What the coordinator or host said, without the code.</summary>
    public string Reason { get; } = message;
}
