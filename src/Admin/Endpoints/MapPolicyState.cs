using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin.Endpoints;

/// <summary>A map's policy in force and whether it is a run-time override (PATCH .../policy) rather than p2p.conf's.</summary>
public sealed record MapPolicyState(string Name, MapPolicy Policy, bool Overridden);
