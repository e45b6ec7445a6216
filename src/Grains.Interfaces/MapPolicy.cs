using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces;

/// <summary>Operator policy for one map: where it may run and how many players it takes.</summary>
/// <param name="Critical">Critical maps run on VPS hosts only.</param>
/// <param name="P2PAllowed">Whether volunteer PCs may host the map at all.</param>
/// <param name="MaxPlayers">Player cap for the map instance.</param>
/// <param name="MinScore">Lowest placement score a host needs to be given the map.</param>
[GenerateSerializer, Immutable, Alias("p2p.MapPolicy.v1")]
public sealed record MapPolicy(
    [property: Id(0)] bool Critical,
    [property: Id(1), System.Text.Json.Serialization.JsonPropertyName("p2pAllowed")] bool P2PAllowed,
    [property: Id(2)] int MaxPlayers,
    [property: Id(3)] double MinScore)
{
    /// <summary>
    /// A new instance each time: persisted state must never share one object, or a deserializer that fills existing
    /// objects writes one map's policy into every other's (issue 11, defect 1).
    /// </summary>
    public static MapPolicy Default => new(Critical: false, P2PAllowed: true, MaxPlayers: 100, MinScore: 0);

    /// <summary>Whether a host of <paramref name="kind"/> may run a map under this policy.</summary>
    public bool Allows(HostKind kind) => kind == HostKind.Vps || (!Critical && P2PAllowed);
}
