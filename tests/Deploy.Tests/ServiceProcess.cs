using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// A program started as systemd starts a service: from the install's working directory, with <c>NOTIFY_SOCKET</c>
/// set, and with a parent process named <c>systemd</c>. Microsoft.Extensions.Hosting.Systemd sends notifications
/// only when its parent's <c>/proc/PPID/comm</c> is <c>systemd</c>, so the program runs under a shell started through
/// a symlink of that name, which forks it, prints its pid and waits for it (passing its exit code on).
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private const string LaunchedPrefix = "p2p-test-launched ";
    private readonly Process _shell;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _pid = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DirectoryInfo _launcherFolder;
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private Task? _exited;

    private ServiceProcess(Process shell, DirectoryInfo launcherFolder)
    {
        _shell = shell;
        _launcherFolder = launcherFolder;
    }

    /// <summary>Everything the program wrote, stdout and stderr interleaved by line.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Completes when the program (and so its launcher) has exited.</summary>
    public Task Exited => _exited ??= _shell.WaitForExitAsync();

    public static async Task<ServiceProcess> StartAsync(string executable, IEnumerable<string> arguments, string workingDirectory,
        string notifySocket, IReadOnlyDictionary<string, string> environment)
    {
        var folder = Directory.CreateTempSubdirectory("p2p-launcher-");
        string systemd = Path.Combine(folder.FullName, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        var info = new ProcessStartInfo(systemd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"\"$@\" & echo \"{LaunchedPrefix}$!\" >&2; wait $!");
        info.ArgumentList.Add("systemd");
        info.ArgumentList.Add(executable);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("P2P_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["NOTIFY_SOCKET"] = notifySocket;
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var shell = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(shell, folder);
        shell.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        shell.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        shell.Start();
        shell.BeginOutputReadLine();
        shell.BeginErrorReadLine();
        await Task.WhenAny(service._pid.Task, service.Exited, Task.Delay(TimeSpan.FromSeconds(10)));
        if (!service._pid.Task.IsCompleted) throw new InvalidOperationException($"the launcher did not start {executable}:\n{service.Output}");
        return service;
    }

    /// <summary>The program's process id (the launcher's child).</summary>
    public int Pid => _pid.Task.Result;

    /// <summary>Sends SIGTERM to the program, as <c>systemctl stop</c> does.</summary>
    public void Terminate()
    {
        if (SendSignal(Pid, SigTerm) != 0)
            throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The program's exit code; fails with its output if it has not exited within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var winner = await Task.WhenAny(Exited, Task.Delay(timeout));
        if (winner != Exited) throw new TimeoutException($"the program did not exit within {timeout}. Output:\n{Output}");
        _shell.WaitForExit(); // flush the output readers
        return _shell.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (line.StartsWith(LaunchedPrefix, StringComparison.Ordinal) && int.TryParse(line.AsSpan(LaunchedPrefix.Length), out int pid))
        {
            _pid.TrySetResult(pid);
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!line.Contains(_waiters[i].Text, StringComparison.Ordinal)) continue;
                _waiters[i].Seen.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Waits until the program has written a line containing <paramref name="text"/>; fails with its output on timeout or exit.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal)) return;
            _waiters.Add((text, seen));
        }
        var winner = await Task.WhenAny(seen.Task, Exited, Task.Delay(timeout));
        if (winner != seen.Task)
            throw new TimeoutException($"no \"{text}\" ({(winner == Exited ? "the program exited" : $"timed out after {timeout}")}). Output:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_pid.Task.IsCompletedSuccessfully && !_shell.HasExited) SendSignal(Pid, SigKill);
        if (!_shell.HasExited) _shell.Kill();
        await _shell.WaitForExitAsync();
        _shell.Dispose();
        _launcherFolder.Delete(recursive: true);
    }

    private const int SigTerm = 15;
    private const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
