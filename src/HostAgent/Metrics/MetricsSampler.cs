using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// Samples the machine every <c>node.update_interval</c> and keeps <see cref="Current"/>: cpu and network are rates
/// over the last <paramref name="window"/> (the heartbeat interval) — the counters of the newest sample against
/// those of the newest sample at least one window older — so a heartbeat carries the mean over the time since the
/// previous one, refreshed at sampling resolution, rather than one noisy 50 ms reading. Memory is the newest sample.
/// </summary>
public sealed partial class MetricsSampler(
    IMachineCounters proc,
    MetricsFileOverride? overrides,
    TimeSpan interval,
    TimeSpan window,
    TimeProvider time,
    ILogger<MetricsSampler> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Queue<(long Timestamp, ProcCounters Counters)> _history = new();
    private HeartbeatLoad _current;
    private string? _lastProblem;
    private bool _interfacesLogged;

    /// <summary>The load as of the newest sample.</summary>
    public HeartbeatLoad Current
    {
        get { lock (_lock) return _current; }
    }

    /// <summary>Takes one sample now and returns the updated <see cref="Current"/>. Throws what <see cref="IMachineCounters.Read"/> throws.</summary>
    public HeartbeatLoad Sample()
    {
        long now = time.GetTimestamp();
        var counters = proc.Read();
        lock (_lock)
        {
            _history.Enqueue((now, counters));
            // Keep as baseline the newest sample that is at least one window old (or the oldest, early on).
            while (_history.Count > 1 && time.GetElapsedTime(_history.ElementAt(1).Timestamp, now) >= window) _history.Dequeue();
            var (then, baseline) = _history.Peek();
            double seconds = time.GetElapsedTime(then, now).TotalSeconds;
            ulong cpuTotal = counters.CpuTotal - Math.Min(baseline.CpuTotal, counters.CpuTotal);
            ulong cpuBusy = counters.CpuBusy - Math.Min(baseline.CpuBusy, counters.CpuBusy);
            // Counters that went backwards (an interface removed, a 32-bit wrap) count as no traffic.
            ulong bytes = counters.NetworkBytes >= baseline.NetworkBytes ? counters.NetworkBytes - baseline.NetworkBytes : 0;
            var measured = new HeartbeatLoad(
                cpuTotal == 0 ? _current.CpuPermille : (ushort)Math.Min(1000, 1000 * cpuBusy / cpuTotal),
                counters.MemoryPermille,
                seconds <= 0 ? _current.NetworkKbps : (uint)Math.Min(uint.MaxValue, bytes * 8 / 1000.0 / seconds));
            _current = Override(measured);
            return _current;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (overrides is not null) LogOverride(logger, overrides.Path);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                Sample();
                if (!_interfacesLogged)
                {
                    _interfacesLogged = true;
                    LogInterfaces(logger, string.Join(", ", proc.CountedInterfaces),
                        proc.CountedInterfaces.SequenceEqual(["lo"]) ? " (only loopback exists)" : "");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
            {
                Report($"cannot read the operating system's metrics: {e.Message}; reporting the last values");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private HeartbeatLoad Override(HeartbeatLoad measured)
    {
        if (overrides is null) return measured;
        var load = overrides.Apply(measured, out string? problem);
        Report(problem is null ? null : $"resources.metrics_file: {problem}");
        return load;
    }

    /// <summary>Logs a problem once, not on every sample, and again only when it changes.</summary>
    private void Report(string? problem)
    {
        if (problem == _lastProblem) return;
        _lastProblem = problem;
        if (problem is not null) LogProblem(logger, problem);
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning,
        Message = "resources.metrics_file is set: cpu/memory/network are read from {Path} instead of the operating system (TEST/DEMO ONLY)")]
    private static partial void LogOverride(ILogger logger, string path);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Network throughput counts interfaces: {Interfaces}{Note}")]
    private static partial void LogInterfaces(ILogger logger, string interfaces, string note);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "Metrics: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
