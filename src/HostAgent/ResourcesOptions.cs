using System.ComponentModel.DataAnnotations;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary><c>resources:</c> the share of this machine the host gives away before it sheds maps (seed keys and defaults).</summary>
[ConfigSection("resources")]
public sealed class ResourcesOptions
{
    [ConfigKey("cpu_limit"), Range(1, 100, ErrorMessage = "must be a percentage between {1} and {2}")]
    public int CpuLimit { get; set; } = 80;

    [ConfigKey("memory_limit"), Range(1, 100, ErrorMessage = "must be a percentage between {1} and {2}")]
    public int MemoryLimit { get; set; } = 85;

    /// <summary>Megabits per second.</summary>
    [ConfigKey("network_limit"), Range(1, 100_000, ErrorMessage = "must be between {1} and {2} Mbit/s")]
    public int NetworkLimit { get; set; } = 100;

    /// <summary>
    /// TEST/DEMO ONLY: a small <c>key=value</c> file (<c>cpu</c>, <c>memory</c> in percent, <c>network</c> in Mbit/s)
    /// read on every sample; each key present replaces the operating system's value, so a test can make a host look
    /// overloaded. Empty (the default) reads only the operating system.
    /// </summary>
    [ConfigKey("metrics_file")]
    public string MetricsFile { get; set; } = "";
}
