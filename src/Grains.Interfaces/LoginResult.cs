namespace P2PCluster.Grains.Interfaces;

/// <summary>A successful login: the account and its characters.</summary>
[GenerateSerializer, Immutable, Alias("p2p.LoginResult.v1")]
public sealed record LoginResult(
    [property: Id(0)] int AccountId,
    [property: Id(1)] char Sex,
    [property: Id(2)] IReadOnlyList<CharacterSummary> Characters);
