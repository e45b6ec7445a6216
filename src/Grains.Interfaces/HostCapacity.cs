namespace P2PCluster.Grains.Interfaces;

/// <summary>What a host offers, from its host_node.conf: map and player caps and the load limits it tolerates.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostCapacity.v1")]
public sealed record HostCapacity(
    [property: Id(0)] int MaxMaps,
    [property: Id(1)] int MaxPlayers,
    [property: Id(2)] int CpuLimitPercent,
    [property: Id(3)] int MemoryLimitPercent,
    [property: Id(4)] int NetworkLimitMbps)
{
    /// <summary>A new instance each time: persisted state never shares one object (see <see cref="MapPolicy.Default"/>).</summary>
    public static HostCapacity Default => new(5, 100, 80, 85, 100);
}
