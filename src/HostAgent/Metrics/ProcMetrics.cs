using System.Globalization;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// Reads the machine's counters from Linux's /proc: cpu from <c>/proc/stat</c> (the machine-wide <c>cpu</c> line),
/// memory from <c>/proc/meminfo</c> (1 − MemAvailable/MemTotal), network from <c>/proc/net/dev</c> (received +
/// sent bytes; which interfaces: see <see cref="ParseNetwork"/>).
/// </summary>
public sealed class ProcMetrics(string procRoot = "/proc", bool countLoopback = false, string sysClassNet = "/sys/class/net") : IMachineCounters
{
    private const string Loopback = "lo";

    /// <summary>The interfaces the last <see cref="Read"/> counted.</summary>
    public IReadOnlyList<string> CountedInterfaces { get; private set; } = [];

    /// <summary>Throws <see cref="IOException"/> (or <see cref="FileNotFoundException"/> where there is no /proc) or <see cref="FormatException"/>.</summary>
    public ProcCounters Read()
    {
        var (busy, total) = ParseCpu(File.ReadAllText(Path.Combine(procRoot, "stat")));
        ushort memory = ParseMemoryPermille(File.ReadAllText(Path.Combine(procRoot, "meminfo")));
        ulong bytes = ParseNetwork(File.ReadAllText(Path.Combine(procRoot, "net", "dev")), countLoopback,
            name => Directory.Exists(Path.Combine(sysClassNet, name, "device")), out var interfaces);
        CountedInterfaces = interfaces;
        return new ProcCounters(busy, total, memory, bytes);
    }

    /// <summary>
    /// Busy and total jiffies of the <c>cpu</c> line: total = user + nice + system + idle + iowait + irq + softirq +
    /// steal (guest time is already inside user and nice), busy = total − idle − iowait.
    /// </summary>
    public static (ulong Busy, ulong Total) ParseCpu(string stat)
    {
        foreach (var line in stat.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("cpu ")) continue;
            var fields = line[4..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4) break;
            ulong Field(int i) => i < fields.Length ? ulong.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            ulong idle = Field(3) + Field(4);
            ulong total = Field(0) + Field(1) + Field(2) + Field(3) + Field(4) + Field(5) + Field(6) + Field(7);
            return (total - idle, total);
        }
        throw new FormatException("/proc/stat has no 'cpu' line");
    }

    /// <summary>Memory in use, per-mille: 1 − MemAvailable/MemTotal (MemFree + Buffers + Cached on kernels before 3.14).</summary>
    public static ushort ParseMemoryPermille(string meminfo)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in meminfo.AsSpan().EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var rest = line[(colon + 1)..].Trim();
            int space = rest.IndexOf(' ');
            if (ulong.TryParse(space < 0 ? rest : rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kb))
                values[line[..colon].ToString()] = kb;
        }
        if (!values.TryGetValue("MemTotal", out ulong total) || total == 0) throw new FormatException("/proc/meminfo has no MemTotal");
        ulong available = values.TryGetValue("MemAvailable", out ulong a)
            ? a
            : values.GetValueOrDefault("MemFree") + values.GetValueOrDefault("Buffers") + values.GetValueOrDefault("Cached");
        return (ushort)Math.Clamp((long)Math.Round(1000.0 * (total - Math.Min(available, total)) / total), 0, 1000);
    }

    /// <summary>
    /// Received + sent bytes of the counted interfaces, and which those were. Counted are the physical ones (those
    /// with a device behind them, <paramref name="isPhysical"/>): virtual interfaces — ifb shapers, bridges, tunnels,
    /// veth pairs — carry the same bytes again. Where no physical interface is visible (a container) every interface
    /// but loopback counts; loopback counts only when it is the only interface, or when <paramref name="countLoopback"/>
    /// asks for every interface.
    /// </summary>
    public static ulong ParseNetwork(string netDev, bool countLoopback, Func<string, bool> isPhysical, out IReadOnlyList<string> interfaces)
    {
        var all = new List<(string Name, ulong Bytes)>();
        foreach (var line in netDev.AsSpan().EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue; // the two header lines have no "name:"
            string name = line[..colon].Trim().ToString();
            var fields = line[(colon + 1)..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9) throw new FormatException($"/proc/net/dev: too few fields for {name}");
            ulong rx = ulong.Parse(fields[0], CultureInfo.InvariantCulture);
            ulong tx = ulong.Parse(fields[8], CultureInfo.InvariantCulture);
            all.Add((name, rx + tx));
        }
        var counted = all;
        if (!countLoopback)
        {
            var physical = all.Where(i => i.Name != Loopback && isPhysical(i.Name)).ToList();
            var nonLoopback = all.Where(i => i.Name != Loopback).ToList();
            counted = physical.Count > 0 ? physical : nonLoopback.Count > 0 ? nonLoopback : all;
        }
        interfaces = counted.Select(i => i.Name).ToArray();
        ulong sum = 0;
        foreach (var (_, bytes) in counted) sum += bytes;
        return sum;
    }
}
