using System.Globalization;

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
    public HostLoad Apply(HostLoad measured, out string? problem)
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
                case "cpu": load = load with { CpuPermille = Permille(value) }; break;
                case "memory": load = load with { MemoryPermille = Permille(value) }; break;
                case "network": load = load with { NetworkKbps = (uint)Math.Min(value * 1000, uint.MaxValue) }; break;
                default: problem = $"{Path}:{number}: unknown key '{key}' (known: cpu, memory, network)"; break;
            }
        }
        return load;
    }

    private static ushort Permille(double percent) => (ushort)Math.Clamp(Math.Round(percent * 10), 0, 1000);
}
