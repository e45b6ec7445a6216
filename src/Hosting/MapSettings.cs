using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary>One entry of <c>maps:</c>: a map the cluster places, and its policy.</summary>
public sealed class MapSettings
{
    /// <summary>Critical maps run on operator VPS hosts only.</summary>
    [ConfigKey("critical")]
    public bool Critical { get; set; }

    [ConfigKey("p2p_allowed")]
    public bool P2PAllowed { get; set; } = true;

    [ConfigKey("max_players"), Range(1, 65535, ErrorMessage = "must be between {1} and {2}")]
    public int MaxPlayers { get; set; } = 100;

    /// <summary>Lowest placement score (0–100) a P2P host needs for this map; below it the map goes to a VPS.</summary>
    [ConfigKey("min_score"), Range(0.0, 100.0, ErrorMessage = "must be between {1} and {2}")]
    public double MinScore { get; set; }

    /// <summary>The map's size in cells (rAthena's map cache); the database proxy refuses positions outside it. 0: unknown (0–1023).</summary>
    [ConfigKey("width"), Range(0, 1024, ErrorMessage = "must be between {1} and {2} cells (0: unknown)")]
    public int Width { get; set; }

    [ConfigKey("height"), Range(0, 1024, ErrorMessage = "must be between {1} and {2} cells (0: unknown)")]
    public int Height { get; set; }
}
