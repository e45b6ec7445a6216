namespace P2PCluster.Grains.Interfaces;

/// <summary>A rejected grain request, carrying a stable <see cref="ClusterError"/> the gateway puts on the wire.</summary>
[GenerateSerializer, Alias("p2p.ClusterException.v1")]
public sealed class ClusterException : Exception
{
    public ClusterException(ClusterError code, string message) : base(message) => Code = code;

    [Id(0)]
    public ClusterError Code { get; }

    /// <summary>
    /// The cluster error <paramref name="exception"/> is, or carries as a cause (Orleans wraps the error of a grain
    /// whose activation failed, e.g. its state could not be read, in an <c>OrleansException</c>); null if none.
    /// </summary>
    public static ClusterException? Find(Exception exception)
    {
        Exception? e = exception;
        for (int depth = 0; e is not null && depth < 16; depth++, e = e.InnerException)
            if (e is ClusterException cluster) return cluster;
        return null;
    }
}
