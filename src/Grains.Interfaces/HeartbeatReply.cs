namespace P2PCluster.Grains.Interfaces;

/// <summary>What a heartbeat tells the host back: maps to stop (stale epochs) and maps it should run but did not report.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HeartbeatReply.v1")]
public sealed record HeartbeatReply(
    [property: Id(0)] IReadOnlyList<MapRevocation> Revoke,
    [property: Id(1)] IReadOnlyList<MapOrder> Assign)
{
    public static HeartbeatReply Empty { get; } = new([], []);
}
