using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>Reads <c>coordinator.public_key</c>: the coordinator's Ed25519 public key, inline or from a file.</summary>
public static class PinnedCoordinatorKey
{
    /// <summary>The raw 32-byte key and where it came from; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static (byte[] Key, string Origin) Load(CoordinatorLinkOptions options)
    {
        string value = options.PublicKey.Trim();
        if (KeyFiles.ParsePublic(value) is { } inline) return (inline, "inline key");
        if (value.StartsWith("-----BEGIN", StringComparison.Ordinal))
            throw new ConfigurationException(["coordinator.public_key: the inline PEM is not an Ed25519 public key"]);

        string path = Path.GetFullPath(value);
        if (!File.Exists(path))
            throw new ConfigurationException([
                $"coordinator.public_key: file '{path}' does not exist. An embedded-default silo run from this folder writes data/coordinator_ed25519.pub.pem; " +
                "for a cluster key: openssl pkey -in coordinator.pem -pubout -out coordinator.pub.pem (or give the key inline as hex or base64)"]);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"coordinator.public_key: cannot read '{path}': {e.Message}"]);
        }
        byte[] key = KeyFiles.ParsePublic(text)
            ?? throw new ConfigurationException([$"coordinator.public_key: '{path}' is not an Ed25519 public key (PEM -----BEGIN PUBLIC KEY-----, 64 hex digits or base64)"]);
        return (key, path);
    }
}
