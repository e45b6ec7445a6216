namespace P2PCluster.Grains.Interfaces;

/// <summary>The columns of a rAthena <c>char</c> row the database proxy loads and saves (docs/database-proxy.md).</summary>
[GenerateSerializer, Immutable, Alias("p2p.CharacterData.v1")]
public sealed record CharacterData(
    [property: Id(0)] string LastMap,
    [property: Id(1)] int X,
    [property: Id(2)] int Y,
    [property: Id(3)] int BaseLevel,
    [property: Id(4)] int JobLevel,
    [property: Id(5)] ulong BaseExp,
    [property: Id(6)] ulong JobExp,
    [property: Id(7)] uint Zeny,
    [property: Id(8)] int Str,
    [property: Id(9)] int Agi,
    [property: Id(10)] int Vit,
    [property: Id(11)] int Int,
    [property: Id(12)] int Dex,
    [property: Id(13)] int Luk,
    [property: Id(14)] uint StatusPoint,
    [property: Id(15)] uint SkillPoint,
    [property: Id(16)] uint Hp,
    [property: Id(17)] uint MaxHp,
    [property: Id(18)] uint Sp,
    [property: Id(19)] uint MaxSp);

/// <summary>A character as the database proxy hands it to the host that runs its map: the row and the version a save replaces.</summary>
[GenerateSerializer, Immutable, Alias("p2p.CharacterLoad.v1")]
public sealed record CharacterLoad([property: Id(0)] CharacterData Data, [property: Id(1)] long Version);
