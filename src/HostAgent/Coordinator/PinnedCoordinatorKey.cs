using P2PCluster.Client;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>Reads <c>coordinator.public_key</c>: the coordinator's Ed25519 public key, inline or from a file.</summary>
public static class PinnedCoordinatorKey
{
    /// <summary>The raw 32-byte key and where it came from; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static (byte[] Key, string Origin) Load(CoordinatorLinkOptions options) =>
        CoordinatorPublicKey.TryLoad(options.PublicKey, out var key, out string origin, out string? error)
            ? (key, origin)
            : throw new ConfigurationException([$"coordinator.public_key: {error}"]);
}
