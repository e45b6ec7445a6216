using System.Diagnostics;
using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>
/// One single-threaded window of one operation: how many ran, the wall time, the CPU time of the loop's thread and of
/// the whole process (which adds the GC and JIT work the loop causes), the loop thread's allocations, and what the
/// rest of the machine did meanwhile.
/// </summary>
public sealed record OperationMeasurement(string Operation, long Operations, double WallSeconds, double ThreadCpuSeconds, double ProcessCpuSeconds,
    long AllocatedBytes, int Gen0, int Gen1, int Gen2, MachineCpu Machine)
{
    /// <summary>Operations per second of this process's CPU time: per core, whatever share of it the machine gave us.</summary>
    public double PerSecond => Operations / Math.Max(1e-9, ProcessCpuSeconds);

    public double MicrosecondsPerOperation => ProcessCpuSeconds * 1e6 / Math.Max(1, Operations);

    public double AllocatedBytesPerOperation => (double)AllocatedBytes / Math.Max(1, Operations);

    /// <summary>The share of the wall time the loop's thread ran: below 100 % the scheduler gave its core to someone else.</summary>
    public double ThreadPercentOfWall => 100 * ThreadCpuSeconds / Math.Max(1e-9, WallSeconds);

    /// <summary>CPU the other processes used meanwhile, in percent of one core (the machine has <see cref="Environment.ProcessorCount"/>).</summary>
    public double OtherProcessesPercent =>
        Machine.Total == 0 ? 0 : Math.Max(0, 100.0 * (Machine.User + Machine.System + Machine.SoftIrq) / Machine.Total * Environment.ProcessorCount - 100 * ProcessCpuSeconds / WallSeconds);

    public double StealPercent => Machine.Total == 0 ? 0 : 100.0 * Machine.Steal / Machine.Total * Environment.ProcessorCount;

    /// <summary>Counters at one instant, taken from the loop's thread; the allocation counter is that thread's (precise).</summary>
    public readonly record struct Sample(long Timestamp, double ThreadCpu, double ProcessCpu, long Allocated, int Gen0, int Gen1, int Gen2, MachineCpu Machine)
    {
        // /proc/stat first and last, so its allocations fall outside the window.
        public static Sample Start()
        {
            var machine = MachineCpu.Read();
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            double process = CpuClock.Process(), thread = CpuClock.Thread();
            return new Sample(Stopwatch.GetTimestamp(), thread, process, allocated, gen0, gen1, gen2, machine);
        }

        public static Sample End()
        {
            long timestamp = Stopwatch.GetTimestamp();
            double thread = CpuClock.Thread(), process = CpuClock.Process();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            return new Sample(timestamp, thread, process, allocated, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), MachineCpu.Read());
        }
    }

    public static OperationMeasurement Between(string operation, long operations, Sample start, Sample end) =>
        new(operation, operations, Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds, end.ThreadCpu - start.ThreadCpu,
            end.ProcessCpu - start.ProcessCpu, end.Allocated - start.Allocated, end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2,
            end.Machine - start.Machine);

    /// <summary>Several slices of one operation as one: every counter summed.</summary>
    public static OperationMeasurement Combine(IReadOnlyList<OperationMeasurement> parts) =>
        parts.Skip(1).Aggregate(parts[0], (a, b) => new OperationMeasurement(a.Operation, a.Operations + b.Operations, a.WallSeconds + b.WallSeconds,
            a.ThreadCpuSeconds + b.ThreadCpuSeconds, a.ProcessCpuSeconds + b.ProcessCpuSeconds, a.AllocatedBytes + b.AllocatedBytes,
            a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.Machine + b.Machine));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Operation,-12} {PerSecond,8:N0} ops/s per core ({MicrosecondsPerOperation,6:F2} us/op) | alloc {AllocatedBytesPerOperation,5:F0} B/op, gc {Gen0}/{Gen1}/{Gen2} | " +
        $"{Operations:N0} ops in {WallSeconds:F1} s wall, loop thread ran {ThreadPercentOfWall:F0}% of it, process cpu {ProcessCpuSeconds / Math.Max(1e-9, ThreadCpuSeconds):F2}× the thread's | " +
        $"other processes {OtherProcessesPercent:F0}% (steal {StealPercent:F0}%)");
}
