using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// A map served by an external program (<c>maps.command</c>, e.g. rAthena's map-server), supervised: when it exits it
/// is restarted after <paramref name="restartBackoff"/>, doubling up to 30 s while it keeps exiting within
/// <paramref name="stableAfter"/> (60 s) of starting, and back to the first delay once a run lasted that long. Its
/// stdout and stderr go to the log with the map's name. Stopping sends SIGTERM to the process tree and kills it
/// after <paramref name="stopGrace"/> (5 s); <paramref name="guard"/> does what differs between Linux and Windows (a
/// Job Object there). It reports no players: the program does not tell us.
/// </summary>
public sealed partial class ExternalMapInstance(
    string map,
    int port,
    Func<IReadOnlyList<string>> arguments,
    TimeSpan restartBackoff,
    ILogger logger,
    TimeSpan? stopGrace = null,
    TimeSpan? stableAfter = null,
    IChildProcessGuard? guard = null) : IMapInstance
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultStableAfter = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _stopGrace = stopGrace ?? DefaultStopGrace;
    private readonly TimeSpan _stableAfter = stableAfter ?? DefaultStableAfter;
    private readonly IChildProcessGuard _guard = guard ?? ChildProcessGuards.ForThisSystem();
    private Task _supervisor = Task.CompletedTask;
    private volatile Process? _process;
    private int _restarts;
    private long _lastRestartDelayTicks;
    private volatile int _state = (int)MapRunState.Starting;

    public string Map => map;
    public int Port => port;
    public MapRunState State => (MapRunState)_state;
    public int Players => 0;

    /// <summary>How many times the program has been restarted (scheduled) since the instance started.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>The delay before the latest restart.</summary>
    public TimeSpan LastRestartDelay => TimeSpan.FromTicks(Interlocked.Read(ref _lastRestartDelayTicks));

    /// <summary>The running program's pid, or null between runs.</summary>
    public int? ProcessId => _process is { } p ? p.Id : null;

    public event Action<IMapInstance>? StateChanged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (State == MapRunState.Stopped) throw new MapStartException("the instance was stopped before it started");
        var (process, exited) = Spawn();
        _state = (int)MapRunState.Running;
        _supervisor = SuperviseAsync(process, exited, _stop.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (State == MapRunState.Stopped) return;
        await _stop.CancelAsync();
        await _supervisor;
        _state = (int)MapRunState.Stopped;
        _stop.Dispose();
    }

    private async Task SuperviseAsync(Process? process, Task exited, CancellationToken stopping)
    {
        var backoff = restartBackoff;
        while (true)
        {
            if (process is not null)
            {
                long started = Stopwatch.GetTimestamp();
                try
                {
                    await exited.WaitAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    await TerminateAsync(process, exited);
                    return;
                }
                var ran = Stopwatch.GetElapsedTime(started);
                await DrainOutputAsync(process);
                if (ran >= _stableAfter) backoff = restartBackoff;
                LogExited(logger, map, process.ExitCode, (long)ran.TotalMilliseconds, Restarts + 1, (long)backoff.TotalMilliseconds);
                _process = null;
                process.Dispose();
                process = null;
            }
            Interlocked.Increment(ref _restarts);
            Interlocked.Exchange(ref _lastRestartDelayTicks, backoff.Ticks);
            SetState(MapRunState.Starting);
            try
            {
                await Task.Delay(backoff, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            try
            {
                (process, exited) = Spawn();
                SetState(MapRunState.Running);
            }
            catch (MapStartException e)
            {
                LogRestartFailed(logger, map, e.Message);
            }
        }
    }

    private (Process Process, Task Exited) Spawn()
    {
        var argv = arguments();
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in argv.Skip(1)) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        // Not WaitForExitAsync: it also waits for the output pipes to close, which a grandchild can hold open forever.
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) LogOutput(logger, map, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) LogErrorOutput(logger, map, e.Data); };
        try
        {
            _guard.Start(process);
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new MapStartException($"cannot run {argv[0]}: {e.Message}", e);
        }
        catch (MapStartException)
        {
            process.Dispose();
            throw;
        }
        process.StandardInput.Close(); // the program gets EOF, not the agent's terminal
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        LogStarted(logger, map, process.Id, string.Join(' ', argv));
        return (process, exited.Task);
    }

    private async Task TerminateAsync(Process process, Task exited)
    {
        if (!exited.IsCompleted)
        {
            _guard.RequestStop(process);
            try
            {
                await exited.WaitAsync(_stopGrace);
            }
            catch (TimeoutException)
            {
                LogKilled(logger, map, process.Id, (long)_stopGrace.TotalMilliseconds);
                process.Kill(entireProcessTree: true);
                await exited;
            }
        }
        await DrainOutputAsync(process);
        _process = null;
        process.Dispose();
    }

    /// <summary>Lets the last output lines reach the log before the process object (and its pipes) is disposed; bounded, as a grandchild may hold the pipes open.</summary>
    private static async Task DrainOutputAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(OutputDrainTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void SetState(MapRunState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state) StateChanged?.Invoke(this);
    }

    [LoggerMessage(EventId = 5500, Level = LogLevel.Information, Message = "[{Map}] started pid {Pid}: {Command}")]
    private static partial void LogStarted(ILogger logger, string map, int pid, string command);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "[{Map}] {Line}")]
    private static partial void LogOutput(ILogger logger, string map, string line);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Warning, Message = "[{Map}] {Line}")]
    private static partial void LogErrorOutput(ILogger logger, string map, string line);

    [LoggerMessage(EventId = 5503, Level = LogLevel.Warning,
        Message = "Map {Map} command exited with code {Code} after {RanMs} ms; restart {Restart} in {DelayMs} ms")]
    private static partial void LogExited(ILogger logger, string map, int code, long ranMs, int restart, long delayMs);

    [LoggerMessage(EventId = 5504, Level = LogLevel.Error, Message = "Map {Map} command could not be restarted: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string map, string reason);

    [LoggerMessage(EventId = 5505, Level = LogLevel.Warning, Message = "Map {Map} pid {Pid} ignored SIGTERM for {GraceMs} ms; killed")]
    private static partial void LogKilled(ILogger logger, string map, int pid, long graceMs);
}
