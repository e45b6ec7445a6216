using System.Diagnostics;
using System.Runtime.InteropServices;

namespace P2PCluster.LoadTool;

/// <summary>
/// Counters at one instant: round trips completed, this process's CPU time, the machine's, the GC's, and the thread
/// pool's (work items run, lock contentions, context switches: the cost of hopping between threads).
/// </summary>
public readonly record struct LoadSample(
    long Completed, long Timestamp, TimeSpan User, TimeSpan System, MachineCpu Machine, int Gen0, int Gen1, int Gen2, long Allocated,
    long WorkItems, long LockContentions, long ContextSwitches, int Threads)
{
    public static LoadSample Take(long completed)
    {
        using var process = Process.GetCurrentProcess();
        return new LoadSample(completed, Stopwatch.GetTimestamp(), process.UserProcessorTime, process.PrivilegedProcessorTime, MachineCpu.Read(),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: false),
            ThreadPool.CompletedWorkItemCount, Monitor.LockContentionCount, ContextSwitchCount(), ThreadPool.ThreadCount);
    }

    /// <summary>Voluntary plus involuntary context switches of the whole process, ended threads included (getrusage; 0 where it is missing).</summary>
    private static long ContextSwitchCount()
    {
        try
        {
            return OperatingSystem.IsLinux() && GetResourceUsage(ResourceUsageSelf, out var usage) == 0
                ? usage.VoluntaryContextSwitches + usage.InvoluntaryContextSwitches
                : 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    private const int ResourceUsageSelf = 0;

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResident, SharedText, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals;
        public long VoluntaryContextSwitches, InvoluntaryContextSwitches;
    }
}
