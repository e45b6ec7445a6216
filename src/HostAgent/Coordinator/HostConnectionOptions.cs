using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>How the agent connects and proves itself: the same at the gateway and at the database proxy.</summary>
public static class HostConnectionOptions
{
    public static CoordinatorConnectionOptions Create(HostNodeSettings settings, HostIdentity identity, byte[] coordinatorKey, AgentTimings timings) => new()
    {
        CoordinatorKeys = [coordinatorKey],
        Role = PeerRole.HostAgent,
        Identity = identity.Key,
        HostKind = (byte)settings.Identity.Kind,
        Endpoint = settings.IdentifyEndpoint,
        RequireEncryption = settings.Coordinator.RequireEncryption,
        HandshakeTimeout = timings.HandshakeTimeout,
    };
}
