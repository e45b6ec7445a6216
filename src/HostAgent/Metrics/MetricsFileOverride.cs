using System.Globalization;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// TEST/DEMO ONLY (<c>resources.metrics_file</c>): a small text file read on every sample whose values replace the
/// operating system's, one <c>key=value</c> per line — <c>cpu</c> and <c>memory</c> in percent (0–100, decimals
/// allowed), <c>network</c> in Mbit/s; <c>#</c> starts a comment. Keys left out keep the measured value.
/// </summary>
public sealed class MetricsFileOverride(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The measured load with the file's values applied; on a missing or bad file, the measured load and the reason.</summary>
    public HeartbeatLoad Apply(HeartbeatLoad measured, out string? problem)
    {
        problem = null;
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return measured;
        }
        var load = measured;
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            string line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            int eq = line.IndexOf('=');
            string key = eq < 0 ? line : line[..eq].Trim().ToLowerInvariant();
            if (eq < 0 || !double.TryParse(line[(eq + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || !double.IsFinite(value) || value < 0)
            {
                problem = $"{Path}:{number}: expected key=number, got '{line}'";
                continue;
            }
            switch (key)
            {
                case "cpu": load = load with { CpuPermille = HeartbeatLoad.PermilleOf(value) }; break;
                case "memory": load = load with { MemoryPermille = HeartbeatLoad.PermilleOf(value) }; break;
                case "network": load = load with { NetworkKbps = HeartbeatLoad.KbpsOf(value) }; break;
                default: problem = $"{Path}:{number}: unknown key '{key}' (known: cpu, memory, network)"; break;
            }
        }
        return load;
    }
}
