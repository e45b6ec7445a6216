namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>admin</c>: simulated hosts connected to the silo and how often they heartbeat; HTTP workers (requests in
/// flight) for both routes; the page size asked of /api/v1/hosts; measured seconds per route, cut into slices that
/// alternate hosts / healthz; unmeasured seconds of both before the first slice.
/// </summary>
public sealed record AdminOptions(int Hosts, TimeSpan HeartbeatInterval, int Concurrency, int Limit, TimeSpan Window, TimeSpan Prime, int Slices);
