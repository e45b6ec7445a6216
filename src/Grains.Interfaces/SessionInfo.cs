namespace P2PCluster.Grains.Interfaces;

/// <summary>A snapshot of a player session grain.</summary>
/// <param name="TargetMap">The map a <see cref="SessionState.Moving"/> character is headed to.</param>
[GenerateSerializer, Immutable, Alias("p2p.SessionInfo.v1")]
public sealed record SessionInfo(
    [property: Id(0)] int CharId,
    [property: Id(1)] int AccountId,
    [property: Id(2)] SessionState State,
    [property: Id(3)] string? Map,
    [property: Id(4)] string? HostId,
    [property: Id(5)] long Epoch,
    [property: Id(6)] string? TargetMap,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] CharacterSnapshot? Character = null);
