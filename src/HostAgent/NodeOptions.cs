using System.ComponentModel.DataAnnotations;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary><c>node:</c> how much this host offers (seed keys and defaults).</summary>
[ConfigSection("node")]
public sealed class NodeOptions
{
    /// <summary>At most 255: a HEARTBEAT lists every instance and carries at most that many.</summary>
    [ConfigKey("max_maps"), Range(1, Protocol.HeartbeatPacket.MaxMaps, ErrorMessage = "must be between {1} and {2}")]
    public int MaxMaps { get; set; } = 5;

    /// <summary>At most 65535: HOST_CAPACITY carries it as a u16.</summary>
    [ConfigKey("max_players"), Range(1, ushort.MaxValue, ErrorMessage = "must be between {1} and {2}")]
    public int MaxPlayers { get; set; } = 100;

    /// <summary>Milliseconds between metric samples.</summary>
    [ConfigKey("update_interval"), Range(10, 60_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int UpdateInterval { get; set; } = 50;
}
