namespace P2PCluster.LoadTool;

/// <summary>What a scenario runs: how many connections, how long each window is, and how deep the pipeline.</summary>
public sealed record ScenarioOptions(int Connections, TimeSpan Window, TimeSpan Warmup, int Pipeline, bool Local);
