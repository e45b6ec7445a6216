namespace P2PCluster.Diagnostic;

/// <summary>How bad a finding is: ok, warning (look at it), critical (act now). Any but ok makes the exit code 5.</summary>
public enum Severity
{
    Ok,
    Warning,
    Critical,
}
