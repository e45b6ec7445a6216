using System.Text.Json.Nodes;
using P2PCluster.TestSupport;

namespace P2PCluster.Diagnostic.Tests;

/// <summary>One run of the real p2p-diagnostic program: its exit code, its output, and with --json its findings.</summary>
public sealed record DiagnosticRun(int ExitCode, string Output, IReadOnlyList<JsonObject> Findings)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<DiagnosticRun> RunAsync(params string[] arguments)
    {
        await using var process = await ProgramProcess.RunAsync("Diagnostic", arguments, null, Timeout, assembly: "p2p-diagnostic");
        var findings = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(o => o["event"]?.GetValue<string>() == "finding")
            .ToList();
        return new DiagnosticRun(process.ExitCode, process.Output, findings);
    }

    /// <summary>The findings of one check (e.g. <c>security/encryption</c>).</summary>
    public IReadOnlyList<JsonObject> Of(string areaAndCheck) =>
        Findings.Where(f => $"{f["area"]}/{f["check"]}" == areaAndCheck).ToList();

    /// <summary>The one finding of <paramref name="areaAndCheck"/>; fails with the whole output when there is not exactly one.</summary>
    public JsonObject One(string areaAndCheck)
    {
        var found = Of(areaAndCheck);
        Assert.True(found.Count == 1, $"expected one {areaAndCheck} finding, found {found.Count}:\n{Output}");
        return found[0];
    }

    public static string SeverityOf(JsonObject finding) => finding["severity"]!.GetValue<string>();
    public static string EvidenceOf(JsonObject finding) => finding["evidence"]!.GetValue<string>();
}
