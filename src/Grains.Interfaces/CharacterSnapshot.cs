namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// The cluster's one model of a character: the columns of its rAthena <c>char</c> row that hosts change (position,
/// levels, exp, zeny, stats, points, hp and sp). The map its cell is on travels beside it (the session's
/// <c>CharacterMap</c>, a store row's <c>LastMap</c>, a write's <c>Map</c>). A session keeps it as its last host saved
/// it and hands it to the next host; the database proxy loads and saves it. Wire forms: <c>CharacterWire</c> (gateway).
/// </summary>
/// <remarks>
/// Ids 0–8 are the progress a player carries from host to host (the wire's <c>character_state</c>); 9–18 were added
/// when the proxy's row model was folded into this one. Session state stored before has none of them: they read as 0.
/// </remarks>
[GenerateSerializer, Immutable, Alias("p2p.CharacterSnapshot.v1")]
public sealed record CharacterSnapshot(
    [property: Id(0)] int X,
    [property: Id(1)] int Y,
    [property: Id(2)] int BaseLevel,
    [property: Id(3)] int JobLevel,
    [property: Id(4)] ulong BaseExp,
    [property: Id(5)] ulong JobExp,
    [property: Id(6)] uint Zeny,
    [property: Id(7)] uint Hp,
    [property: Id(8)] uint Sp,
    [property: Id(9)] int Str = 0,
    [property: Id(10)] int Agi = 0,
    [property: Id(11)] int Vit = 0,
    [property: Id(12)] int Int = 0,
    [property: Id(13)] int Dex = 0,
    [property: Id(14)] int Luk = 0,
    [property: Id(15)] uint StatusPoint = 0,
    [property: Id(16)] uint SkillPoint = 0,
    [property: Id(17)] uint MaxHp = 0,
    [property: Id(18)] uint MaxSp = 0)
{
    /// <summary>rAthena's cell coordinates fit in 10 bits; levels in a smallint.</summary>
    public const int MaxCoordinate = 1023, MaxLevel = 65535;

    public void Validate()
    {
        if (X is < 0 or > MaxCoordinate || Y is < 0 or > MaxCoordinate)
            throw new ClusterException(ClusterError.InvalidArgument, $"position {X},{Y} is outside 0–{MaxCoordinate}");
        if (BaseLevel is < 1 or > MaxLevel || JobLevel is < 1 or > MaxLevel)
            throw new ClusterException(ClusterError.InvalidArgument, $"levels {BaseLevel}/{JobLevel} are outside 1–{MaxLevel}");
    }
}
