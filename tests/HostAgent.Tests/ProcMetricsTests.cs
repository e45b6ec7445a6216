using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using P2PCluster.HostAgent.Metrics;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>Real readings of this machine's /proc, under load we make ourselves.</summary>
[Collection(ExclusiveCollection.Name)]
public sealed class ProcMetricsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private static MetricsSampler Sampler(ProcMetrics proc, MetricsFileOverride? overrides = null) =>
        new(proc, overrides, TimeSpan.FromMilliseconds(50), Window, TimeProvider.System, NullLogger<MetricsSampler>.Instance);

    [Fact]
    public void ReadingsAreInRange()
    {
        var sampler = Sampler(new ProcMetrics());
        sampler.Sample();
        Thread.Sleep(100); // real time: the kernel's CPU counters (/proc) only move as it passes
        var load = sampler.Sample();
        output.WriteLine(load.ToString());
        Assert.InRange(load.CpuPermille, 0, 1000);
        Assert.InRange(load.MemoryPermille, 1, 1000);
    }

    [Fact]
    public void CpuRisesUnderABusyLoop()
    {
        var sampler = Sampler(new ProcMetrics());
        sampler.Sample();
        Thread.Sleep(Window); // real time: the kernel's CPU counters (/proc) only move as it passes
        var idle = sampler.Sample();

        // Every core spins for one window (at most 8 threads, so a big machine is not tied up for long).
        int threads = Math.Min(Environment.ProcessorCount, 8);
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        var until = started + Stopwatch.Frequency * (long)Window.TotalSeconds;
        var spinners = Enumerable.Range(0, threads).Select(_ => new Thread(() => { while (Stopwatch.GetTimestamp() < until) { } })).ToList();
        spinners.ForEach(t => t.Start());
        spinners.ForEach(t => t.Join());
        var busy = sampler.Sample();
        self.Refresh();
        // What this process alone used of the machine meanwhile: the machine-wide reading cannot be lower.
        int own = (int)(1000 * (self.TotalProcessorTime - cpuBefore).TotalSeconds / Stopwatch.GetElapsedTime(started).TotalSeconds / Environment.ProcessorCount);

        output.WriteLine($"idle {idle.CpuPermille}‰; {threads} spinning threads: machine {busy.CpuPermille}‰, this process {own}‰, {Environment.ProcessorCount} cpus");
        Assert.True(own >= 50, $"the spinning threads got only {own}‰ of the machine; it is too busy to tell");
        Assert.True(busy.CpuPermille >= own * 9 / 10, $"machine-wide {busy.CpuPermille}‰ is below this process's own {own}‰");
        // On a machine that had room, the reading rises (other jobs may already keep a shared CI box near 1000‰).
        if (idle.CpuPermille < 800) Assert.True(busy.CpuPermille > idle.CpuPermille + 100, $"busy {busy.CpuPermille}‰ vs idle {idle.CpuPermille}‰");
    }

    [Fact]
    public async Task NetworkRisesWhenBytesCrossLoopback()
    {
        // The agent counts loopback only when no other interface exists (players never arrive over it); this test
        // asks for it explicitly so that bytes it sends itself are what is measured.
        var proc = new ProcMetrics(countLoopback: true);
        var sampler = Sampler(proc);
        sampler.Sample();
        Assert.Contains("lo", proc.CountedInterfaces);

        const int total = 64 * 1024 * 1024;
        var started = Stopwatch.GetTimestamp();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        var drain = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            long read = 0;
            while (read < total) read += await server.GetStream().ReadAsync(buffer);
        });
        var chunk = new byte[256 * 1024];
        for (int sent = 0; sent < total; sent += chunk.Length) await client.GetStream().WriteAsync(chunk);
        await drain;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var load = sampler.Sample();

        // Loopback counts each byte twice (sent and received); expect at least the bytes once over the whole window.
        double floorKbps = total * 8 / 1000.0 / Math.Max(elapsed.TotalSeconds, Window.TotalSeconds) * 0.9;
        output.WriteLine($"{total} bytes in {elapsed.TotalMilliseconds:0} ms → {load.NetworkKbps} kbit/s (floor {floorKbps:0})");
        Assert.True(load.NetworkKbps >= floorKbps, $"{load.NetworkKbps} kbit/s < {floorKbps:0}");
    }

    [Fact]
    public void PhysicalInterfacesCountThenAnyThenLoopback()
    {
        const string onlyLoopback = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1000       5    0    0    0     0          0         0     2000       5    0    0    0     0       0          0
            """;
        Assert.Equal(3000UL, ProcMetrics.ParseNetwork(onlyLoopback, countLoopback: false, _ => false, out var counted));
        Assert.Equal(["lo"], counted);

        // A container: no physical interface visible, so its (veth) eth0 counts.
        string container = onlyLoopback + "\n  eth0: 10 1 0 0 0 0 0 0 20 1 0 0 0 0 0 0";
        Assert.Equal(30UL, ProcMetrics.ParseNetwork(container, countLoopback: false, _ => false, out counted));
        Assert.Equal(["eth0"], counted);

        // A machine: the NICs count, not the shaper that sees their bytes again.
        string machine = container + "\n  ifb0: 10 1 0 0 0 0 0 0 20 1 0 0 0 0 0 0\n  wlan0: 100 1 0 0 0 0 0 0 200 1 0 0 0 0 0 0";
        Assert.Equal(330UL, ProcMetrics.ParseNetwork(machine, countLoopback: false, name => name is "eth0" or "wlan0", out counted));
        Assert.Equal(["eth0", "wlan0"], counted);

        Assert.Equal(3360UL, ProcMetrics.ParseNetwork(machine, countLoopback: true, _ => true, out counted));
        Assert.Equal(4, counted.Count);
    }

    [Fact]
    public void CpuAndMemoryParseTheKernelFormats()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice: guest is inside user already.
        Assert.Equal((60UL, 200UL), ProcMetrics.ParseCpu("cpu  30 10 10 120 20 5 5 0 99 99\ncpu0 1 1 1 1 1 1 1 1 0 0\n"));
        Assert.Equal(250, ProcMetrics.ParseMemoryPermille("MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    750 kB\n"));
        Assert.Equal(600, ProcMetrics.ParseMemoryPermille("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 200 kB\n"));
    }
}
