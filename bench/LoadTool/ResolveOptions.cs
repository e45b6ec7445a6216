namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>resolve</c>: as many logged-in players (one character each) as connections, their characters spread
/// over <paramref name="Maps"/> running maps; windows, warm-ups, priming and slices as in <see cref="ScenarioOptions"/>.
/// For the fresh resolves each player cycles through <paramref name="FreshCharacters"/> further characters of its account.
/// </summary>
public sealed record ResolveOptions(int Connections, int Maps, TimeSpan Window, TimeSpan Warmup, TimeSpan Prime, int Slices, int FreshCharacters = 128)
{
    public ScenarioOptions Scenario => new(Connections, Window, Warmup, Pipeline: 1, Local: false, Prime, Slices);
}
