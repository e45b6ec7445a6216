using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin.Endpoints;

/// <summary>GET /api/v1/hosts/{hostId}/reachability: one probe per map the host runs (none when it runs no map).</summary>
public sealed record HostReachability(string HostId, IReadOnlyList<EndpointProbe> Probes);
