namespace P2PCluster.LoadTool;

/// <summary>
/// What scenario <c>placement</c> runs: how many candidate hosts and concurrent callers, how often each host refreshes
/// its entry, the window, warm-up, priming and slices (as <see cref="ScenarioOptions"/>), and whether the linear
/// baseline is measured alongside.
/// </summary>
public sealed record PlacementOptions(int Hosts, int Callers, TimeSpan Refresh, TimeSpan Window, TimeSpan Warmup, TimeSpan Prime, int Slices, bool Linear)
{
    /// <summary>The same windows in the shape <see cref="LoadWindow"/> takes (callers in place of connections).</summary>
    public ScenarioOptions Windows => new(Callers, Window, Warmup, Pipeline: 1, Local: false, Prime, Slices);
}
