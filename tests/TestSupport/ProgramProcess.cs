using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace P2PCluster.TestSupport;

/// <summary>
/// One of our programs run as a real child process (<c>dotnet P2PCluster.X.dll</c>), with its output captured so a
/// test can wait for a line and show everything the process said when an assertion fails.
/// </summary>
public sealed partial class ProgramProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly List<(DateTime At, string Line)> _lines = [];
    private readonly List<(string Pattern, TaskCompletionSource<string> Seen)> _waiters = [];

    private ProgramProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>The process's own empty working folder (relative paths such as data/ land here).</summary>
    public string WorkingDirectory => _process.StartInfo.WorkingDirectory;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote, stdout and stderr interleaved by line.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Every line with the (UTC) time it was read, for measuring when something happened (serving windows, recovery).</summary>
    public IReadOnlyList<(DateTime At, string Line)> TimedLines
    {
        get { lock (_output) return [.. _lines]; }
    }

    /// <summary>What the process wrote to stdout alone (e.g. its machine-readable output).</summary>
    public string StandardOutput
    {
        get { lock (_output) return _standardOutput.ToString(); }
    }

    /// <summary>Starts <c>src/<paramref name="project"/></c>'s program in an empty working folder, so no stray conf file is read.</summary>
    /// <param name="assembly">The program's assembly name when the project sets its own (default <c>P2PCluster.</c><paramref name="project"/>).</param>
    /// <param name="launcher">A command that runs <c>dotnet</c> for us and execs it in place (e.g. <c>ip netns exec NS</c>), so the process id stays the program's.</param>
    public static ProgramProcess Start(string project, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? assembly = null,
        IReadOnlyList<string>? launcher = null)
    {
        var info = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("p2p-proc-").FullName,
        };
        if (launcher is { Count: > 0 })
        {
            foreach (string part in launcher.Skip(1)) info.ArgumentList.Add(part);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(RepoPaths.Program(project, assembly));
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("P2P_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        // Per-user files (p2p-client's learned key set) go to the process's own folder, not the home of whoever runs the tests.
        info.Environment["XDG_DATA_HOME"] = Path.Combine(info.WorkingDirectory, ".local-share");
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new ProgramProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.OnLine(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => wrapper.OnLine(e.Data, standardOutput: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs the program to its end and returns its exit code; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ProgramProcess> RunAsync(string project, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout,
        string? assembly = null)
    {
        var process = Start(project, arguments, environment, assembly);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{project} did not exit within {timeout}:\n{process.Output}");
        }
        process._process.WaitForExit(); // flush the output readers
        return process;
    }

    /// <summary>Waits until a line contains <paramref name="text"/>; fails with the output so far on timeout or early exit.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        TaskCompletionSource<string> seen;
        lock (_output)
        {
            foreach (string line in _output.ToString().Split('\n'))
                if (line.Contains(text, StringComparison.Ordinal)) return line;
            seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
        }
        var exited = _process.WaitForExitAsync();
        var winner = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (winner == seen.Task) return await seen.Task;
        string why = winner == exited ? $"exited with {_process.ExitCode}" : $"timed out after {timeout}";
        throw new TimeoutException($"waiting for \"{text}\": process {why}. Output:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process did not exit within {timeout}. Output:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies without a chance to clean up, as on a crash or power loss.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <summary>Sends a POSIX signal (SIGTERM = 15, SIGSTOP = 19, SIGCONT = 18).</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited && SendSignal(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public const int SigTerm = 15;

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        try { Directory.Delete(_process.StartInfo.WorkingDirectory, recursive: true); } catch (IOException) { }
        _process.Dispose();
    }

    private void OnLine(string? line, bool standardOutput)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add((DateTime.UtcNow, line));
            if (standardOutput) _standardOutput.AppendLine(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!line.Contains(_waiters[i].Pattern, StringComparison.Ordinal)) continue;
                _waiters[i].Seen.TrySetResult(line);
                _waiters.RemoveAt(i);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
