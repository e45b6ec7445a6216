using System.Globalization;
using System.Runtime.InteropServices;

namespace P2PCluster.LoadTool;

/// <summary>
/// CPU time of another process from /proc/&lt;pid&gt;/stat (utime + stime, all its threads), so a child process is
/// measured apart from the load generator.
/// </summary>
public readonly record struct ProcessCpu(TimeSpan User, TimeSpan System)
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK

    public TimeSpan Total => User + System;

    public static ProcessCpu Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException e)
        {
            throw new LoadToolException($"cannot read /proc/{pid}/stat (has the process exited?): {e.Message}", e);
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double ticks = ClockTicks();
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        return new ProcessCpu(TimeSpan.FromSeconds(long.Parse(f[11], CultureInfo.InvariantCulture) / ticks),
            TimeSpan.FromSeconds(long.Parse(f[12], CultureInfo.InvariantCulture) / ticks));
    }

    public static ProcessCpu operator -(ProcessCpu a, ProcessCpu b) => new(a.User - b.User, a.System - b.System);

    private static double ClockTicks()
    {
        long ticks = OperatingSystem.IsLinux() ? SystemConfiguration(ClockTicksName) : -1;
        return ticks > 0 ? ticks : 100;
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SystemConfiguration(int name);
}
