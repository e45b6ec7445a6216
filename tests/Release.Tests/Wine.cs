using System.Diagnostics;

namespace P2PCluster.Release.Tests;

/// <summary>Runs Windows programs under Debian's wine in a prefix of the test's own (created on first use, removed after).</summary>
public sealed class Wine(string prefix)
{
    /// <summary>Why wine tests cannot run here, or null.</summary>
    public static string? Unavailable { get; } =
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(dir => File.Exists(Path.Combine(dir, "wine"))) == true
            ? null
            : "wine is not installed (apt-get install wine wine64; scripts/test.sh does)";

    public string Prefix => prefix;

    /// <summary>Where the prefix's <c>C:\ProgramData</c> is on this machine.</summary>
    public string ProgramData => Path.Combine(prefix, "drive_c", "ProgramData");

    public ProcessStartInfo StartInfo(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo("wine")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(program)!,
        };
        info.Environment["WINEPREFIX"] = prefix;
        info.Environment["WINEDEBUG"] = "-all";
        // Not WINEDLLOVERRIDES=mscoree= (to skip the Mono install prompt of a fresh prefix): .NET then fails to start.
        info.ArgumentList.Add(program);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    public Task<(int Code, string Output)> RunAsync(string program, params string[] arguments) =>
        Run(StartInfo(program, arguments), TimeSpan.FromMinutes(2));

    /// <summary>A Linux path as the Windows program sees it (wine maps / to Z:).</summary>
    public static string WindowsPath(string linuxPath) => "Z:" + linuxPath.Replace('/', '\\');

    /// <summary>Stops the prefix's wineserver (and so anything left running in it).</summary>
    public async Task StopAsync()
    {
        var info = new ProcessStartInfo("wineserver") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["WINEPREFIX"] = prefix;
        info.ArgumentList.Add("-k");
        await Run(info, TimeSpan.FromSeconds(30));
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
