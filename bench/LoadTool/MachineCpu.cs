using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>
/// Whole-machine CPU time from the first line of /proc/stat, in clock ticks: shows what the rest of a shared machine
/// (and the hypervisor, as steal) took while a window ran. All zero where /proc/stat does not exist.
/// </summary>
public readonly record struct MachineCpu(long User, long System, long SoftIrq, long Idle, long Steal, long Total)
{
    public static MachineCpu Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            string[] f = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long At(int i) => i < f.Length ? long.Parse(f[i], CultureInfo.InvariantCulture) : 0;
            // cpu user nice system idle iowait irq softirq steal ...
            long user = At(1) + At(2), system = At(3) + At(6), idle = At(4) + At(5), softIrq = At(7), steal = At(8);
            return new MachineCpu(user, system, softIrq, idle, steal, user + system + idle + softIrq + steal);
        }
        catch (IOException)
        {
            return default;
        }
    }

    public static MachineCpu operator +(MachineCpu a, MachineCpu b) =>
        new(a.User + b.User, a.System + b.System, a.SoftIrq + b.SoftIrq, a.Idle + b.Idle, a.Steal + b.Steal, a.Total + b.Total);

    public static MachineCpu operator -(MachineCpu a, MachineCpu b) =>
        new(a.User - b.User, a.System - b.System, a.SoftIrq - b.SoftIrq, a.Idle - b.Idle, a.Steal - b.Steal, a.Total - b.Total);
}
