namespace P2PCluster.Grains.Interfaces;

/// <summary>A character as the login answer lists it (rAthena <c>char</c> row, the columns a client needs to choose).</summary>
[GenerateSerializer, Immutable, Alias("p2p.CharacterSummary.v1")]
public sealed record CharacterSummary(
    [property: Id(0)] int CharId,
    [property: Id(1)] int AccountId,
    [property: Id(2)] int Slot,
    [property: Id(3)] string Name,
    [property: Id(4)] int Class,
    [property: Id(5)] int BaseLevel,
    [property: Id(6)] string LastMap,
    [property: Id(7)] int LastX,
    [property: Id(8)] int LastY);
