using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Characters;

/// <summary>What the database proxy accepts from a host (the silo fills it from p2p.conf's <c>db_proxy:</c> and <c>maps:</c>).</summary>
public sealed class CharacterRules
{
    public int MaxBaseLevel { get; set; } = 275;
    public int MaxJobLevel { get; set; } = 70;
    public int MaxStat { get; set; } = 130;
    public uint MaxZeny { get; set; } = 1_000_000_000;
    public uint MaxZenyGainPerMinute { get; set; } = 100_000_000;
    public ulong MaxExpGainPerMinute { get; set; } = 10_000_000_000;

    /// <summary>Map sizes in cells, where known; other maps allow 0–1023 (the protocol's limit).</summary>
    public Dictionary<string, (int Width, int Height)> MapSizes { get; } = new(StringComparer.Ordinal);

    public const int UnknownMapSize = 1024;

    /// <summary>Why <paramref name="data"/> is out of bounds on <paramref name="map"/>, or null if it is within them.</summary>
    public string? OutOfBounds(string map, CharacterSnapshot data)
    {
        var (width, height) = MapSizes.TryGetValue(map, out var size) ? size : (UnknownMapSize, UnknownMapSize);
        if (width <= 0) width = UnknownMapSize;
        if (height <= 0) height = UnknownMapSize;
        if (data.X < 0 || data.X >= width || data.Y < 0 || data.Y >= height)
            return $"position {data.X},{data.Y} is outside {map} ({width}×{height})";
        if (data.BaseLevel < 1 || data.BaseLevel > MaxBaseLevel) return $"base level {data.BaseLevel} is outside 1–{MaxBaseLevel}";
        if (data.JobLevel < 1 || data.JobLevel > MaxJobLevel) return $"job level {data.JobLevel} is outside 1–{MaxJobLevel}";
        if (data.Zeny > MaxZeny) return $"zeny {data.Zeny} is above {MaxZeny}";
        if (data.Hp > data.MaxHp) return $"hp {data.Hp} is above max hp {data.MaxHp}";
        if (data.Sp > data.MaxSp) return $"sp {data.Sp} is above max sp {data.MaxSp}";
        int[] stats = [data.Str, data.Agi, data.Vit, data.Int, data.Dex, data.Luk];
        if (stats.Any(s => s < 1 || s > MaxStat)) return $"a stat ({string.Join("/", stats)}) is outside 1–{MaxStat}";
        return null;
    }

    /// <summary>
    /// Why going from <paramref name="before"/> to <paramref name="after"/> in <paramref name="elapsed"/> is implausible,
    /// or null. Gains are allowed at the configured rate per minute, one minute's worth at least; losses always pass.
    /// </summary>
    public string? ImplausibleDelta(CharacterSnapshot before, CharacterSnapshot after, TimeSpan elapsed)
    {
        double minutes = Math.Max(1, elapsed.TotalMinutes);
        double zenyGain = (double)after.Zeny - before.Zeny;
        if (zenyGain > MaxZenyGainPerMinute * minutes)
            return $"zeny grew by {zenyGain:F0} in {elapsed.TotalSeconds:F0} s (at most {MaxZenyGainPerMinute} a minute)";
        double baseGain = (double)after.BaseExp - before.BaseExp, jobGain = (double)after.JobExp - before.JobExp;
        if (baseGain > MaxExpGainPerMinute * minutes)
            return $"base exp grew by {baseGain:F0} in {elapsed.TotalSeconds:F0} s (at most {MaxExpGainPerMinute} a minute)";
        if (jobGain > MaxExpGainPerMinute * minutes)
            return $"job exp grew by {jobGain:F0} in {elapsed.TotalSeconds:F0} s (at most {MaxExpGainPerMinute} a minute)";
        return null;
    }
}
