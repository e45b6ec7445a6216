using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>One placement of a map on a host. <paramref name="Epoch"/> fences it: anything done under an older epoch is refused.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MapAssignment.v1")]
public sealed record MapAssignment(
    [property: Id(0)] string Map,
    [property: Id(1)] string HostId,
    [property: Id(2)] HostKind HostKind,
    [property: Id(3)] string Endpoint,
    [property: Id(4)] long Epoch,
    [property: Id(5)] DateTimeOffset AssignedAt)
{
    /// <summary>Where players are sent for this map: the host's advertised address with the map instance's port.</summary>
    public string InstanceEndpoint(int port)
    {
        int colon = Endpoint.LastIndexOf(':');
        return $"{(colon > 0 ? Endpoint[..colon] : Endpoint)}:{port}";
    }
}
