using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace P2PCluster.LoadTool;

/// <summary>
/// A <see cref="FleetCommand"/> child process (this tool, started again with the hidden <c>fleet</c> subcommand):
/// started, awaited until every host heartbeats, measured from /proc, let go by closing its standard input.
/// </summary>
public sealed class FleetProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    private FleetProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _connected.TrySetException(new LoadToolException($"the fleet process exited with {_process.ExitCode}: {Output()}"));
    }

    public int Id => _process.Id;

    public static FleetProcess Start(IPEndPoint gateway, byte[] coordinatorKey, int hosts, TimeSpan heartbeatInterval)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new LoadToolException("cannot tell which program this is, to start the fleet"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run as `dotnet LoadTool.dll`, the host needs the assembly; as the apphost, it does not.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (string argument in (string[])["fleet", "--gateway", gateway.ToString(), "--coordinator-key", Convert.ToBase64String(coordinatorKey),
                     "--hosts", hosts.ToString(CultureInfo.InvariantCulture), "--heartbeat-interval-ms", ((int)heartbeatInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var fleet = new FleetProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return fleet;
    }

    /// <summary>Waits for the fleet's "connected" line (every host heartbeating) and returns it.</summary>
    public Task<string> ConnectedAsync() => _connected.Task;

    private void OnLine(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        while (_lines.Count > 20) _lines.TryDequeue(out _);
        if (line.StartsWith(FleetCommand.ConnectedLine, StringComparison.Ordinal)) _connected.TrySetResult(line);
        else if (line.StartsWith("fleet: ", StringComparison.Ordinal) && !_connected.Task.IsCompleted) Console.WriteLine($"  {line}"); // progress
    }

    private string Output() => string.Join(" | ", _lines);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}
