using System.Runtime.InteropServices;

namespace P2PCluster.LoadTool;

/// <summary>
/// CPU time of the calling thread and of the whole process (clock_gettime, nanosecond resolution), and pinning the
/// calling thread to one CPU (sched_setaffinity). Linux only: the <c>tickets</c> scenario rates operations per second
/// of CPU time, so time the scheduler gives to other processes on a shared machine does not count against them.
/// </summary>
public static class CpuClock
{
    private const int ProcessCpuTime = 2; // CLOCK_PROCESS_CPUTIME_ID
    private const int ThreadCpuTime = 3;  // CLOCK_THREAD_CPUTIME_ID

    public static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux()) throw new LoadToolException("this scenario reads thread and process CPU time with clock_gettime, which needs Linux");
    }

    /// <summary>CPU seconds the calling thread has run.</summary>
    public static double Thread() => Read(ThreadCpuTime);

    /// <summary>CPU seconds every thread of this process has run (GC and JIT threads included).</summary>
    public static double Process() => Read(ProcessCpuTime);

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false (with the errno) if the kernel refused.</summary>
    public static bool TryPin(int cpu, out int error)
    {
        ulong mask = 1UL << cpu;
        bool pinned = SetAffinity(0, sizeof(ulong), ref mask) == 0;
        error = pinned ? 0 : Marshal.GetLastPInvokeError();
        return pinned;
    }

    private static double Read(int clock)
    {
        if (GetTime(clock, out var time) != 0) throw new LoadToolException($"clock_gettime({clock}) failed: errno {Marshal.GetLastPInvokeError()}");
        return time.Seconds + time.Nanoseconds / 1e9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int GetTime(int clock, out TimeSpec time);

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SetAffinity(int pid, nint size, ref ulong mask);
}
