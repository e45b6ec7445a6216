namespace P2PCluster.Grains.Interfaces;

/// <summary>A snapshot of a map grain. <paramref name="Epoch"/> is the last epoch handed out, also after release.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MapInfo.v1")]
public sealed record MapInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] MapPolicy Policy,
    [property: Id(2)] MapStatus Status,
    [property: Id(3)] MapAssignment? Assignment,
    [property: Id(4)] long Epoch,
    [property: Id(5)] PlacementDecision? Decision = null,
    [property: Id(6)] MapInstanceState? InstanceState = null,
    [property: Id(7)] int InstancePort = 0);
