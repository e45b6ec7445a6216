namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// A character's position and progress as its last host saved them (rAthena <c>char</c> columns); handed to the next
/// host that admits it. On first login it comes from the character's row.
/// </summary>
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
    [property: Id(8)] uint Sp)
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
