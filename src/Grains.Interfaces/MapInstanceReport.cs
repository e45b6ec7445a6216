namespace P2PCluster.Grains.Interfaces;

/// <summary>One map instance a host says it runs, under which epoch, in which state, with how many players.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MapInstanceReport.v1")]
public sealed record MapInstanceReport(
    [property: Id(0)] string Map,
    [property: Id(1)] long Epoch,
    [property: Id(2)] MapInstanceState State,
    [property: Id(3)] int Players);

/// <summary>Mirror of the protocol's MapRunState.</summary>
public enum MapInstanceState : byte
{
    Starting = 0,
    Running = 1,
    Failed = 2,
    Stopped = 3,
}
