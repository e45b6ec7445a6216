using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using P2PCluster.HostAgent.Metrics;

namespace P2PCluster.HostAgent.Tests;

/// <summary>The Windows metrics' arithmetic and the cross-platform network counter, on the Linux build; /proc stays the source here.</summary>
public sealed class WindowsMetricsTests
{
    [Fact]
    public void LinuxSamplesProc()
    {
        Assert.IsType<ProcMetrics>(MachineCounters.ForThisSystem());
        Assert.Throws<IOException>(() => new WindowsMetrics().Read());
    }

    [Fact]
    public void CpuIsKernelPlusUserLessIdle()
    {
        // GetSystemTimes: kernel time includes idle time.
        Assert.Equal((300UL, 1000UL), WindowsMetrics.Cpu(idle: 700, kernel: 800, user: 200));
        Assert.Equal((0UL, 0UL), WindowsMetrics.Cpu(0, 0, 0));
        Assert.Equal(250, WindowsMetrics.MemoryPermille(totalPhysical: 16_000, availablePhysical: 12_000));
        Assert.Equal(1000, WindowsMetrics.MemoryPermille(16_000, 0));
        Assert.Throws<FormatException>(() => WindowsMetrics.MemoryPermille(0, 0));
        Assert.Equal(64, Marshal.SizeOf<WindowsMetrics.MemoryStatusEx>()); // MEMORYSTATUSEX
    }

    [Fact]
    public void NetworkCountsUpInterfacesButLoopbackAndTunnels()
    {
        NetworkInterfaceBytes.Interface Nic(string name, NetworkInterfaceType type, ulong bytes, OperationalStatus status = OperationalStatus.Up) =>
            new(name, type, status, bytes);
        var loopback = Nic("Loopback Pseudo-Interface 1", NetworkInterfaceType.Loopback, 5000);
        IReadOnlyList<NetworkInterfaceBytes.Interface> machine =
        [
            loopback,
            Nic("Ethernet", NetworkInterfaceType.Ethernet, 100),
            Nic("Wi-Fi", NetworkInterfaceType.Wireless80211, 20),
            Nic("Teredo", NetworkInterfaceType.Tunnel, 7),
            Nic("Ethernet 2", NetworkInterfaceType.Ethernet, 3, OperationalStatus.Down),
        ];
        Assert.Equal(120UL, NetworkInterfaceBytes.Count(machine, countLoopback: false, out var counted));
        Assert.Equal(["Ethernet", "Wi-Fi"], counted);
        Assert.Equal(5130UL, NetworkInterfaceBytes.Count(machine, countLoopback: true, out _));
        Assert.Equal(5000UL, NetworkInterfaceBytes.Count([loopback], countLoopback: false, out counted));
        Assert.Equal([loopback.Name], counted);
    }

    [Fact]
    public void NetworkSnapshotSeesThisMachinesInterfaces()
    {
        // The framework's reader runs on Linux too: it must see what /proc/net/dev lists.
        var snapshot = NetworkInterfaceBytes.Snapshot();
        var procNames = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l[..l.IndexOf(':')].Trim()).ToHashSet();
        Assert.Contains(snapshot, i => i.Type == NetworkInterfaceType.Loopback);
        Assert.All(snapshot, i => Assert.Contains(i.Name, procNames));
    }
}
