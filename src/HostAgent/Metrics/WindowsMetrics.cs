using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// Reads the machine's counters from Windows: cpu from <c>GetSystemTimes</c> (kernel time includes idle time, so
/// busy = kernel + user − idle), memory from <c>GlobalMemoryStatusEx</c> (1 − available/total physical), network
/// from <see cref="NetworkInterfaceBytes"/>. The arithmetic is in static methods the Linux build tests.
/// </summary>
public sealed partial class WindowsMetrics(bool countLoopback = false) : IMachineCounters
{
    public IReadOnlyList<string> CountedInterfaces { get; private set; } = [];

    public ProcCounters Read()
    {
        if (!OperatingSystem.IsWindows()) throw new IOException("Windows metrics read on another system");
        var (busy, total) = ReadCpu();
        ushort memory = ReadMemoryPermille();
        ulong bytes = NetworkInterfaceBytes.Count(NetworkInterfaceBytes.Snapshot(), countLoopback, out var counted);
        CountedInterfaces = counted;
        return new ProcCounters(busy, total, memory, bytes);
    }

    /// <summary>Busy and total 100 ns ticks from GetSystemTimes' three sums (idle is inside kernel).</summary>
    public static (ulong Busy, ulong Total) Cpu(ulong idle, ulong kernel, ulong user)
    {
        ulong total = kernel + user;
        return (total - Math.Min(idle, total), total);
    }

    /// <summary>Memory in use, per-mille: 1 − available/total physical memory.</summary>
    public static ushort MemoryPermille(ulong totalPhysical, ulong availablePhysical) =>
        totalPhysical == 0
            ? throw new FormatException("GlobalMemoryStatusEx reported no physical memory")
            : (ushort)Math.Clamp((long)Math.Round(1000.0 * (totalPhysical - Math.Min(availablePhysical, totalPhysical)) / totalPhysical), 0, 1000);

    [SupportedOSPlatform("windows")]
    private static (ulong Busy, ulong Total) ReadCpu()
    {
        if (!GetSystemTimes(out ulong idle, out ulong kernel, out ulong user))
            throw new IOException($"GetSystemTimes failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        return Cpu(idle, kernel, user);
    }

    [SupportedOSPlatform("windows")]
    private static ushort ReadMemoryPermille()
    {
        var status = new MemoryStatusEx { Length = (uint)Marshal.SizeOf<MemoryStatusEx>() };
        if (!GlobalMemoryStatusEx(ref status))
            throw new IOException($"GlobalMemoryStatusEx failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        return MemoryPermille(status.TotalPhys, status.AvailPhys);
    }

    /// <summary>MEMORYSTATUSEX (64 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MemoryStatusEx
    {
        public uint Length;
        public uint MemoryLoad;
        public ulong TotalPhys;
        public ulong AvailPhys;
        public ulong TotalPageFile;
        public ulong AvailPageFile;
        public ulong TotalVirtual;
        public ulong AvailVirtual;
        public ulong AvailExtendedVirtual;
    }

    // FILETIME is two DWORDs, low first: on little-endian x64/arm64 that is one ulong.
    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    [SupportedOSPlatform("windows")]
    private static partial bool GetSystemTimes(out ulong idleTime, out ulong kernelTime, out ulong userTime);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    [SupportedOSPlatform("windows")]
    private static partial bool GlobalMemoryStatusEx(ref MemoryStatusEx buffer);
}
