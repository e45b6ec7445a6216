using System.Text.Json;
using P2PCluster.TestSupport;

namespace P2PCluster.Control.Tests;

/// <summary>One run of the real p2p-control program: its exit code, stdout, and everything it said.</summary>
public sealed record ControlRun(int ExitCode, string StandardOutput, string Output)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<ControlRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        await using var process = await ProgramProcess.RunAsync("Control", arguments, environment, Timeout, assembly: "p2p-control");
        return new ControlRun(process.ExitCode, process.StandardOutput, process.Output);
    }

    /// <summary>The <c>--json</c> events on stdout.</summary>
    public List<JsonElement> Events() =>
        [.. StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    public List<JsonElement> Events(string name) =>
        [.. Events().Where(e => e.GetProperty("event").GetString() == name)];

    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}
