using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// One seeded character of scenario <c>dbproxy</c>: whose it is, the map (and host) it plays on, and what the proxy
/// last acknowledged for it (record and version). Only one save of it is in flight at a time, from one lane.
/// </summary>
public sealed class SavedCharacter(int charId, int accountId, int host, string map)
{
    public int CharId { get; } = charId;
    public int AccountId { get; } = accountId;

    /// <summary>Index of the simulated host whose map it is on.</summary>
    public int Host { get; } = host;

    public string Map { get; } = map;

    /// <summary>The record as last loaded or acknowledged.</summary>
    public CharacterRecord Record { get; set; }

    /// <summary>The version the next save replaces.</summary>
    public ulong Version { get; set; }

    /// <summary>What a seeded character starts as (within every bound of the proxy's default rules).</summary>
    public static CharacterRecord Seed(int i) =>
        new((ushort)(50 + i % 300), (ushort)(50 + i / 300 % 300), 50, 30, 100_000, 20_000, 10_000, 30, 30, 30, 30, 30, 30, 0, 0, 4000, 5000, 300, 400);

    /// <summary>
    /// The next save: a new position within the map (the proxy's bounds for a map of unknown size are 0–1023), some
    /// experience and zeny gained (far below a minute's allowance) or, near the zeny limit, spent.
    /// </summary>
    public CharacterRecord Next(Random random)
    {
        var r = Record;
        uint zeny = r.Zeny > 900_000_000 ? 10_000 : r.Zeny + (uint)random.Next(1, 1000);
        return r with
        {
            X = (ushort)random.Next(0, 400),
            Y = (ushort)random.Next(0, 400),
            BaseExp = r.BaseExp + (ulong)random.Next(1, 5000),
            JobExp = r.JobExp + (ulong)random.Next(1, 1000),
            Zeny = zeny,
            Hp = (uint)random.Next(1, (int)r.MaxHp + 1),
        };
    }
}
