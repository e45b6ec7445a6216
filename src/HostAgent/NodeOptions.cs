using System.ComponentModel.DataAnnotations;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary><c>node:</c> how much this host offers (seed keys and defaults).</summary>
[ConfigSection("node")]
public sealed class NodeOptions
{
    [ConfigKey("max_maps"), Range(1, 1000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxMaps { get; set; } = 5;

    [ConfigKey("max_players"), Range(1, 100_000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxPlayers { get; set; } = 100;

    /// <summary>Milliseconds between metric samples.</summary>
    [ConfigKey("update_interval"), Range(10, 60_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int UpdateInterval { get; set; } = 50;
}
