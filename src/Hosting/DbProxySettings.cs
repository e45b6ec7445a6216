using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>db_proxy:</c> what the database proxy lets a host write (docs/database-proxy.md).</summary>
[ConfigSection("db_proxy")]
public sealed class DbProxySettings
{
    /// <summary>rAthena's <c>max_level</c> for base levels (renewal with 4th jobs: 275).</summary>
    [ConfigKey("max_base_level"), Range(1, 65535, ErrorMessage = "must be between {1} and {2}")]
    public int MaxBaseLevel { get; set; } = 275;

    [ConfigKey("max_job_level"), Range(1, 65535, ErrorMessage = "must be between {1} and {2}")]
    public int MaxJobLevel { get; set; } = 70;

    /// <summary>Highest value of each of str/agi/vit/int/dex/luk (rAthena <c>max_parameter</c>, renewal 130).</summary>
    [ConfigKey("max_stat"), Range(1, 65535, ErrorMessage = "must be between {1} and {2}")]
    public int MaxStat { get; set; } = 130;

    /// <summary>rAthena's MAX_ZENY.</summary>
    [ConfigKey("max_zeny"), Range(0, int.MaxValue, ErrorMessage = "must be between {1} and {2}")]
    public int MaxZeny { get; set; } = 1_000_000_000;

    /// <summary>How much zeny a character may gain per minute between two saves (one minute's worth at least).</summary>
    [ConfigKey("max_zeny_gain_per_minute"), Range(0, int.MaxValue, ErrorMessage = "must be between {1} and {2}")]
    public int MaxZenyGainPerMinute { get; set; } = 100_000_000;

    /// <summary>How much base or job experience a character may gain per minute between two saves (one minute's worth at least).</summary>
    [ConfigKey("max_exp_gain_per_minute"), Range(0L, long.MaxValue, ErrorMessage = "must be between {1} and {2}")]
    public long MaxExpGainPerMinute { get; set; } = 10_000_000_000;
}
