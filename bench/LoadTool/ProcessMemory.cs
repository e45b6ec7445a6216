using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>A process's resident memory from /proc/PID/status: now (VmRSS) and its peak so far (VmHWM), in bytes.</summary>
public readonly record struct ProcessMemory(long Resident, long Peak)
{
    public double ResidentMiB => Resident / 1048576.0;
    public double PeakMiB => Peak / 1048576.0;

    public static ProcessMemory Read(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line);
        }
        return new ProcessMemory(rss, hwm);
    }

    // "VmRSS:     123456 kB"
    private static long Kilobytes(string line) =>
        1024 * long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
