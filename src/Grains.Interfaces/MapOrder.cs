namespace P2PCluster.Grains.Interfaces;

/// <summary>An instruction to a host: run <paramref name="Map"/> under <paramref name="Epoch"/> for at most <paramref name="MaxPlayers"/>.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MapOrder.v1")]
public sealed record MapOrder(
    [property: Id(0)] string Map,
    [property: Id(1)] long Epoch,
    [property: Id(2)] int MaxPlayers);
