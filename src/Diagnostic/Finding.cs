namespace P2PCluster.Diagnostic;

/// <summary>One check's result: which area and check, how bad, what was seen (evidence) and what to do (advice).</summary>
public sealed record Finding(string Area, string Check, Severity Severity, string Evidence, string Advice = "")
{
    public static Finding Ok(string area, string check, string evidence) => new(area, check, Severity.Ok, evidence);
}
