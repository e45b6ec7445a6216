namespace P2PCluster.Grains.Interfaces;

/// <summary>A rejected grain request, carrying a stable <see cref="ClusterError"/> the gateway puts on the wire.</summary>
[GenerateSerializer, Alias("p2p.ClusterException.v1")]
public sealed class ClusterException : Exception
{
    public ClusterException(ClusterError code, string message) : base(message) => Code = code;

    [Id(0)]
    public ClusterError Code { get; }
}
