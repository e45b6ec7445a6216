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

    /// <summary>The same, trusting what <paramref name="trust"/> trusts at each handshake and feeding it the coordinator's KEY_SETs.</summary>
    public static CoordinatorConnectionOptions Create(HostNodeSettings settings, HostIdentity identity, CoordinatorTrust trust, AgentTimings timings) =>
        new()
        {
            CoordinatorKeys = trust.Live,
            OnKeySet = trust.Accept,
            PreferFirstKey = true,
            Role = PeerRole.HostAgent,
            Identity = identity.Key,
            HostKind = (byte)settings.Identity.Kind,
            Endpoint = settings.IdentifyEndpoint,
            RequireEncryption = settings.Coordinator.RequireEncryption,
            HandshakeTimeout = timings.HandshakeTimeout,
        };
}
