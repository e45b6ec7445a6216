namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>dbproxy</c>: how many characters (one account each) over how many simulated hosts (one map each), how
/// many saves each host keeps in flight on its proxy connection; the measured time, cut into slices alternating with
/// the baseline, its warm-ups and the unmeasured priming; the baseline's connections, rows per statement, and the
/// storage engine of its copy of <c>char</c> (null: as <c>char</c>, MyISAM).
/// </summary>
public sealed record DbProxyOptions(int Characters, int Hosts, int InFlight, TimeSpan Window, TimeSpan Warmup, TimeSpan Prime, int Slices,
    int BaselineConnections, int BaselineBatch, string? BaselineEngine)
{
    public ScenarioOptions Scenario => new(Hosts, Window, Warmup, InFlight, Local: false, Prime, Slices);
}
