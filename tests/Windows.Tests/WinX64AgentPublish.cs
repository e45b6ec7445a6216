using System.Diagnostics;
using P2PCluster.TestSupport;

namespace P2PCluster.Windows.Tests;

/// <summary>
/// Publishes the host agent once per test class: win-x64, self-contained, one file. Everything is extracted to disk
/// at start (<c>IncludeAllContentForSelfExtract</c>) because wine 8 cannot load the runtime from inside the bundle
/// (docs/windows.md, "What ran where"). A separate configuration keeps its obj/ and bin/ apart from other builds.
/// </summary>
public sealed class WinX64AgentPublish : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("p2p-win-x64-").FullName;

    public string Executable => Path.Combine(Directory, "P2PCluster.HostAgent.exe");

    public TimeSpan Took { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string argument in (string[])["publish", "src/HostAgent", "-c", "WinX64Test", "-r", "win-x64", "--self-contained",
                     "-p:PublishSingleFile=true", "-p:IncludeAllContentForSelfExtract=true", "-p:DebugType=none", "-o", Directory])
            info.ArgumentList.Add(argument);
        var (code, output) = await Run(info, Deadline);
        Took = watch.Elapsed;
        if (code != 0 || !File.Exists(Executable))
            throw new InvalidOperationException($"dotnet publish for win-x64 failed (exit {code}) after {Took}:\n{output}");
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs a process to its end within <paramref name="deadline"/> (killed past it); its exit code and output.</summary>
    public static async Task<(int Code, string Output)> Run(ProcessStartInfo info, TimeSpan deadline)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"killed after {deadline}\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
