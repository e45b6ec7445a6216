using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>Scenario <c>dbproxy</c>'s cost lines: where the CPU went per row or save, what MariaDB was asked to do, and the latencies.</summary>
public static class DbProxyReport
{
    /// <summary>Microseconds of <paramref name="cpu"/> per operation of <paramref name="m"/> (NaN when not measured).</summary>
    public static double PerOperation(TimeSpan? cpu, Measurement m) => cpu is { } t ? 1e6 * t.TotalSeconds / Math.Max(1, m.RoundTrips) : double.NaN;

    public static void Costs(string label, string unit, Measurement m, CostProbe cost, string latencyOf)
    {
        double seconds = m.Seconds, n = Math.Max(1, m.RoundTrips);
        double generator = m.ProcessUserPercent + m.ProcessSystemPercent;
        double node = 100 * cost.Node.TotalSeconds / seconds;
        double database = cost.Database is { } d ? 100 * d.TotalSeconds / seconds : 0;
        double others = Math.Max(0, m.MachineBusyPercent - generator - node - database);
        string databaseCpu = cost.Database is null
            ? "MariaDB not measured (not on this machine)"
            : string.Create(CultureInfo.InvariantCulture, $"MariaDB {database:F0}% ({PerOperation(cost.Database, m):F1} us/{unit})");
        var s = cost.Status;
        var l = cost.Latencies;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {m.RoundTripsPerSecond:N0} {unit}s/s over {seconds:F1} s | cpu (% of one core, of {100 * Environment.ProcessorCount}%): silo {node:F0}% ({PerOperation(cost.Node, m):F1} us/{unit}), " +
            $"{databaseCpu}, generator {generator:F0}% ({m.CpuMicrosecondsPerRoundTrip:F1} us/{unit}), other processes {others:F0}% (steal {m.MachineStealPercent:F0}%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  MariaDB: {s.Commits} COMMITs{(s.Commits > 0 ? $" ({n / s.Commits:F1} {unit}s each)" : " (autocommit statements only)")}, per {unit}: {s.Inserts / n:F3} INSERT, {s.Updates / n:F3} UPDATE, {s.Selects / n:F3} SELECT statements; " +
            $"{s.Fsyncs / seconds:F0} InnoDB fsyncs/s, {s.TableLockWaits} table-lock waits, {s.RowLockWaits} row-lock waits"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency per {latencyOf}: mean {l.Mean() / 1000:F1} ms, p50 {l.Percentile(0.5) / 1000:F1} ms, p99 {l.Percentile(0.99) / 1000:F1} ms, p99.9 {l.Percentile(0.999) / 1000:F1} ms ({l.Count} in the windows)"));
    }
}
