using System.Diagnostics;
using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>One measured window: round trips per second, and where the machine's CPU went while it ran.</summary>
public sealed record Measurement(string Server, string Kind, int InFlight, double Seconds, long RoundTrips,
    double ProcessUserPercent, double ProcessSystemPercent, double MachineBusyPercent, double MachineSoftIrqPercent, double MachineStealPercent,
    double AllocatedBytesPerRoundTrip, int Gen0, int Gen1, int Gen2,
    double WorkItemsPerRoundTrip, double LockContentionsPerRoundTrip, double ContextSwitchesPerRoundTrip, int Threads)
{
    public double RoundTripsPerSecond => RoundTrips / Seconds;

    /// <summary>CPU microseconds this process spent per round trip (generator and server together).</summary>
    public double CpuMicrosecondsPerRoundTrip => (ProcessUserPercent + ProcessSystemPercent) / 100 * Seconds * 1e6 / Math.Max(1, RoundTrips);

    public static Measurement Between(string server, string kind, int inFlight, LoadSample start, LoadSample end)
    {
        double seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        long roundTrips = end.Completed - start.Completed;
        var machine = end.Machine - start.Machine;
        double Share(long ticks) => machine.Total == 0 ? 0 : 100.0 * ticks / machine.Total * Environment.ProcessorCount;
        return new Measurement(server, kind, inFlight, seconds, roundTrips,
            100 * (end.User - start.User).TotalSeconds / seconds, 100 * (end.System - start.System).TotalSeconds / seconds,
            Share(machine.User + machine.System + machine.SoftIrq), Share(machine.SoftIrq), Share(machine.Steal),
            (double)(end.Allocated - start.Allocated) / Math.Max(1, roundTrips),
            end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2,
            PerRoundTrip(end.WorkItems - start.WorkItems), PerRoundTrip(end.LockContentions - start.LockContentions),
            PerRoundTrip(end.ContextSwitches - start.ContextSwitches), end.Threads);

        double PerRoundTrip(long count) => (double)count / Math.Max(1, roundTrips);
    }

    /// <summary>Several windows of the same server and kind as one: totals, with rates weighted by time and per-round-trip costs by round trips.</summary>
    public static Measurement Combine(IReadOnlyList<Measurement> parts)
    {
        double seconds = parts.Sum(p => p.Seconds);
        long roundTrips = parts.Sum(p => p.RoundTrips);
        double ByTime(Func<Measurement, double> f) => parts.Sum(p => f(p) * p.Seconds) / seconds;
        double ByRoundTrip(Func<Measurement, double> f) => parts.Sum(p => f(p) * p.RoundTrips) / Math.Max(1, roundTrips);
        var first = parts[0];
        return new Measurement(first.Server, first.Kind, first.InFlight, seconds, roundTrips,
            ByTime(p => p.ProcessUserPercent), ByTime(p => p.ProcessSystemPercent), ByTime(p => p.MachineBusyPercent),
            ByTime(p => p.MachineSoftIrqPercent), ByTime(p => p.MachineStealPercent), ByRoundTrip(p => p.AllocatedBytesPerRoundTrip),
            parts.Sum(p => p.Gen0), parts.Sum(p => p.Gen1), parts.Sum(p => p.Gen2), ByRoundTrip(p => p.WorkItemsPerRoundTrip),
            ByRoundTrip(p => p.LockContentionsPerRoundTrip), ByRoundTrip(p => p.ContextSwitchesPerRoundTrip), parts[^1].Threads);
    }

    /// <summary>One human-readable line; CPU percentages are of one core (the machine has <see cref="Environment.ProcessorCount"/>).</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Server,-9} {Kind,-7} {InFlight,3} in flight: {RoundTripsPerSecond,9:N0} rt/s | process cpu user {ProcessUserPercent,3:F0}% sys {ProcessSystemPercent,3:F0}% " +
        $"({CpuMicrosecondsPerRoundTrip:F1} us/rt) | other processes {Math.Max(0, MachineBusyPercent - ProcessUserPercent - ProcessSystemPercent),3:F0}% (machine softirq {MachineSoftIrqPercent:F0}%, steal {MachineStealPercent:F0}%) | " +
        $"alloc {AllocatedBytesPerRoundTrip:F0} B/rt, gc {Gen0}/{Gen1}/{Gen2} | per rt: {WorkItemsPerRoundTrip:F2} pool items, {ContextSwitchesPerRoundTrip:F2} ctx switches, " +
        $"{LockContentionsPerRoundTrip:F3} lock waits; {Threads} pool threads");
}
