namespace P2PCluster.Grains;

/// <summary>A cell on a map: where a character stood, kept whole so a map is never paired with another map's coordinates.</summary>
[GenerateSerializer, Immutable, Alias("p2p.CharacterPlace.v1")]
public sealed record CharacterPlace([property: Id(0)] string Map, [property: Id(1)] int X, [property: Id(2)] int Y);
