using System.Diagnostics;

namespace P2PCluster.Release.Tests;

/// <summary>One finished run of an external program (dotnet, bash, sha256sum, docker-compose), its output captured.</summary>
public sealed record ProcessRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the program said, for assertion messages.</summary>
    public string Describe() => $"`{Command}` exited {ExitCode}\n--- stdout\n{StandardOutput}--- stderr\n{StandardError}";

    /// <summary>
    /// Runs <paramref name="file"/> to its end in <paramref name="workingDirectory"/>; P2P_* variables of the test's
    /// own environment are removed (then <paramref name="environment"/> added) so only what the test sets is read, and
    /// so are the MSBuild variables <c>dotnet test</c> leaves, which would point a <c>dotnet publish</c> at its MSBuild.
    /// Killed with its children, and the test failed, after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("P2P_", StringComparison.Ordinal)
                     || k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        string command = string.Join(' ', [file, .. info.ArgumentList]);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"`{command}` did not exit within {timeout}\n--- stdout\n{await stdout}--- stderr\n{await stderr}");
        }
        return new ProcessRun(command, process.ExitCode, await stdout, await stderr);
    }
}
