namespace P2PCluster.LoadTool;

/// <summary>
/// What the <c>tickets</c> scenario runs: measured time per operation, cut into slices that rotate through the four
/// operations; the warm-up before the first slice (a quarter of it before later ones); tickets the simulated host
/// admits per second of ticket time (which sets the size of its replay memory); and the CPU the loop is pinned to.
/// </summary>
public sealed record TicketOptions(TimeSpan Window, TimeSpan Warmup, int Slices, int Admissions, int Cpu);
