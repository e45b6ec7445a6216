namespace P2PCluster.LoadTool;

/// <summary>
/// What a scenario runs: how many connections, how long each window and its warm-up are, how deep the pipeline, how
/// long each server is primed under light load (for the JIT) before its first window, and in how many slices a
/// window is cut when two servers are measured alternately.
/// </summary>
public sealed record ScenarioOptions(int Connections, TimeSpan Window, TimeSpan Warmup, int Pipeline, bool Local, TimeSpan Prime, int Slices);
