using System.Diagnostics;
using System.Text.Json;
using P2PCluster.TestSupport;

namespace P2PCluster.KeyGen.Tests;

/// <summary>Runs p2p-keygen as a real process in a folder of its own, and openssl beside it.</summary>
public sealed class KeyGenRun : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-keygen-");

    public string Folder => _dir.FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>Runs p2p-keygen with <paramref name="arguments"/> (relative paths resolve in <see cref="Folder"/>).</summary>
    public async Task<(int ExitCode, string StandardOutput, string Output)> KeyGenAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        info.ArgumentList.Add(RepoPaths.Program("KeyGen", "p2p-keygen"));
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("P2P_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(key);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cancel.Token);
        string output = await stdout;
        return (process.ExitCode, output, output + await stderr);
    }

    public static JsonElement Json(string standardOutput) => JsonDocument.Parse(standardOutput).RootElement;

    public string OpenSsl(params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {output}{stderr.Result}");
        return output;
    }
}
