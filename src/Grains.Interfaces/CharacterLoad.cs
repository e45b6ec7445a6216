namespace P2PCluster.Grains.Interfaces;

/// <summary>A character as the database proxy hands it to the host that runs its map: the row and the version a save replaces.</summary>
[GenerateSerializer, Immutable, Alias("p2p.CharacterLoad.v1")]
public sealed record CharacterLoad([property: Id(0)] CharacterSnapshot Data, [property: Id(1)] long Version);
