using System.Diagnostics;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// Debian's php-cli run as a child process for the FluxCP module's tests. A machine without php or its curl extension
/// fails the test saying which Debian package to install (scripts/test.sh installs both).
/// </summary>
public static class PhpCli
{
    public const string Executable = "/usr/bin/php";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Fails the calling test unless php-cli and php-curl are installed.</summary>
    public static async Task RequireAsync(bool curl)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install the Debian package php-cli (scripts/test.sh does).");
        if (!curl) return;
        var modules = await RunAsync(["-m"]);
        Assert.True(modules.ExitCode == 0, $"php -m failed: {modules.StandardError}");
        Assert.True(modules.StandardOutput.Split('\n').Any(m => m.Trim().Equals("curl", StringComparison.OrdinalIgnoreCase)),
            "php has no curl extension: install the Debian package php-curl (scripts/test.sh does).");
    }

    /// <summary>Runs php with the arguments (and extra environment variables) to its end; kills it after a minute.</summary>
    public static async Task<PhpRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("P2P_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{Executable} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"php {string.Join(' ', info.ArgumentList)} ran over {RunTimeout}");
        }
        return new PhpRun(process.ExitCode, await stdout, await stderr);
    }
}
