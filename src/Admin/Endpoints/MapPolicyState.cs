using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// A map's policy in force, whether it is a run-time override (PATCH .../policy) rather than p2p.conf's, and whether an
/// operator disabled the map (POST .../disable).
/// </summary>
public sealed record MapPolicyState(string Name, MapPolicy Policy, bool Overridden, bool Disabled);
