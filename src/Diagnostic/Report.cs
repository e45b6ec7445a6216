using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PCluster.Diagnostic;

/// <summary>
/// Writes each finding as it comes: one line for people (<c>[critical] security/encryption: evidence — advice</c>) or,
/// with <c>--json</c>, one JSON object per line (<c>event</c> = <c>finding</c>, then <c>summary</c>, or <c>error</c>).
/// </summary>
public sealed class Report(bool json)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>Set when a check needed the admin API and could not reach it: the run ends with exit 3.</summary>
    public DiagnosticException? ApiFailure { get; set; }

    public void Add(Finding finding)
    {
        _findings.Add(finding);
        if (json)
        {
            var record = new JsonObject
            {
                ["event"] = "finding",
                ["area"] = finding.Area,
                ["check"] = finding.Check,
                ["severity"] = Name(finding.Severity),
                ["evidence"] = finding.Evidence,
                ["advice"] = finding.Advice,
            };
            Console.Out.WriteLine(record.ToJsonString(Relaxed));
        }
        else
        {
            string advice = finding.Advice.Length > 0 ? $" — {finding.Advice}" : "";
            Console.Out.WriteLine($"[{Name(finding.Severity)}] {finding.Area}/{finding.Check}: {finding.Evidence}{advice}");
        }
        Console.Out.Flush();
    }

    /// <summary>The exit code: 3 when the API could not be reached or 4 when it refused, else 5 on any warning or worse, else 0.</summary>
    public int Finish()
    {
        int exit = ApiFailure?.ExitCode ?? (_findings.Any(f => f.Severity != Severity.Ok) ? ExitCodes.Findings : ExitCodes.Ok);
        int warnings = _findings.Count(f => f.Severity == Severity.Warning), critical = _findings.Count(f => f.Severity == Severity.Critical);
        int ok = _findings.Count - warnings - critical;
        if (ApiFailure is not null) Console.Error.WriteLine($"p2p-diagnostic: {ApiFailure.Message}");
        if (json)
        {
            var record = new JsonObject { ["event"] = "summary", ["ok"] = ok, ["warning"] = warnings, ["critical"] = critical, ["exit_code"] = exit };
            if (ApiFailure is not null) record["message"] = ApiFailure.Message;
            Console.Out.WriteLine(record.ToJsonString(Relaxed));
        }
        else Console.Out.WriteLine($"{_findings.Count} finding(s): {ok} ok, {warnings} warning, {critical} critical");
        Console.Out.Flush();
        return exit;
    }

    public void Fail(DiagnosticException failure)
    {
        Console.Error.WriteLine($"p2p-diagnostic: {failure.Message}");
        if (!json) return;
        var record = new JsonObject { ["event"] = "error", ["exit_code"] = failure.ExitCode, ["message"] = failure.Message };
        Console.Out.WriteLine(record.ToJsonString(Relaxed));
        Console.Out.Flush();
    }

    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();
}
