using System.Diagnostics;

namespace P2PCluster.LoadTool;

/// <summary>Counters at one instant: round trips completed, this process's CPU time, the machine's, and the GC's.</summary>
public readonly record struct LoadSample(
    long Completed, long Timestamp, TimeSpan User, TimeSpan System, MachineCpu Machine, int Gen0, int Gen1, int Gen2, long Allocated)
{
    public static LoadSample Take(long completed)
    {
        using var process = Process.GetCurrentProcess();
        return new LoadSample(completed, Stopwatch.GetTimestamp(), process.UserProcessorTime, process.PrivilegedProcessorTime, MachineCpu.Read(),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: false));
    }
}
