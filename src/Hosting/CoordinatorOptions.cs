using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>coordinator:</c> the gateway's listeners (seed keys and defaults).</summary>
[ConfigSection("coordinator")]
public sealed class CoordinatorOptions
{
    [ConfigKey("port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int Port { get; set; } = 5121;

    [ConfigKey("db_proxy_port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int DbProxyPort { get; set; } = 5122;

    [ConfigKey("max_connections"), Range(1, 1_000_000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxConnections { get; set; } = 1000;
}
