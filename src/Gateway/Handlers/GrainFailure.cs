using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// A grain call's failure as the wire sees it: a <see cref="ClusterException"/> becomes 256 + its code with its
/// message (never a stack trace); a cluster that did not answer (<c>OrleansException</c>, <see cref="TimeoutException"/>)
/// becomes Unavailable.
/// </summary>
public readonly record struct GrainFailure(ProtocolError Code, string Message, ClusterError? Cluster, Exception Exception)
{
    public const string UnavailableMessage = "the cluster did not answer; retry later";

    /// <summary>The failure <paramref name="e"/> is, or null for an exception that is no grain call's failure.</summary>
    public static GrainFailure? From(Exception e) => e switch
    {
        ClusterException c => new GrainFailure(ErrorMapping.ToProtocol(c.Code), c.Message, c.Code, e),
        OrleansException or TimeoutException => new GrainFailure(ProtocolError.Unavailable, UnavailableMessage, null, e),
        _ when ClusterException.Find(e) is { } inner => new GrainFailure(ErrorMapping.ToProtocol(inner.Code), inner.Message, inner.Code, e),
        _ => null,
    };
}
