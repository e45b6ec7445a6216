using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Linux: the program is started through <c>setpriv --pdeathsig KILL</c> (util-linux), so the kernel kills it when the
/// agent dies — even by SIGKILL, when nothing in the agent runs any more. The parent-death signal fires when the
/// <em>thread</em> that started the program ends, and thread-pool threads come and go, so every program is started
/// from one thread that lives as long as the agent. Only the program itself is covered: a wrapper script should
/// <c>exec</c> the server. Without setpriv the program is started plainly (and would outlive a killed agent).
/// Stopping sends SIGTERM to the program and every process it started (<see cref="ProcessTree"/>).
/// </summary>
public sealed class PosixProcessGuard : IChildProcessGuard
{
    public static readonly PosixProcessGuard Instance = new(FindSetpriv());

    private readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> _starts = [];

    private PosixProcessGuard(string? setpriv)
    {
        Setpriv = setpriv;
        var thread = new Thread(StartLoop) { IsBackground = true, Name = "map program starter" };
        thread.Start();
    }

    /// <summary>The setpriv used for the parent-death signal, or null where there is none.</summary>
    public string? Setpriv { get; }

    public void Start(Process process)
    {
        if (Setpriv is not null)
        {
            var info = process.StartInfo;
            string[] arguments = [.. info.ArgumentList];
            info.ArgumentList.Clear();
            foreach (string argument in (string[])["--pdeathsig", "KILL", "--", Resolve(info.FileName), .. arguments]) info.ArgumentList.Add(argument);
            info.FileName = Setpriv;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _starts.Add((process, started));
        started.Task.GetAwaiter().GetResult(); // rethrows the Win32Exception of a program that cannot run
    }

    public void RequestStop(Process process) => ProcessTree.Signal(process.Id, ProcessTree.SigTerm);

    private void StartLoop()
    {
        foreach (var (process, started) in _starts.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }

    /// <summary>
    /// The program's path as exec would find it, checked here so that a missing program is refused at once, as
    /// without the wrapper, rather than by setpriv after it started.
    /// </summary>
    private static string Resolve(string program)
    {
        string? path = program.Contains('/')
            ? program
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path)) throw new Win32Exception(2); // ENOENT: "No such file or directory"
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & anyExecute) == 0) throw new Win32Exception(13); // EACCES
        return path;
    }

    private static string? FindSetpriv() =>
        OperatingSystem.IsLinux() ? ((string[])["/usr/bin/setpriv", "/bin/setpriv"]).FirstOrDefault(File.Exists) : null;
}
