using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Loads the coordinator's signing key named in p2p.conf, or makes the embedded default's development key.</summary>
public static class CoordinatorKey
{
    public const string DevelopmentKeyFile = "coordinator_ed25519.pem";
    public const string DevelopmentPublicKeyFile = "coordinator_ed25519.pub.pem";

    /// <summary>The key, and a line to log saying where it came from. Throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static (SigningIdentity Identity, string Origin) Load(CoordinatorSettings settings)
    {
        var security = settings.Security;
        if (!settings.Database.IsEmbedded && string.IsNullOrWhiteSpace(security.CoordinatorKeyFile))
            throw new ConfigurationException([
                "security.coordinator_key_file: required when database.connection_string is set — every silo and gateway of a cluster must sign with the same key; make one with: openssl genpkey -algorithm ED25519 -out coordinator.pem"]);
        if (!string.IsNullOrWhiteSpace(security.CoordinatorKeyFile))
        {
            string path = Path.GetFullPath(security.CoordinatorKeyFile);
            if (!File.Exists(path))
                throw new ConfigurationException([$"security.coordinator_key_file: '{path}' does not exist (make one with: openssl genpkey -algorithm ED25519 -out {path})"]);
            try
            {
                var identity = KeyFiles.LoadPrivate(path);
                return (identity, $"coordinator key {path} (key id {KeyNames.KeyId(identity.PublicKey)})");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException([$"security.coordinator_key_file: {e.Message}"]);
            }
        }

        string dir = Path.GetFullPath(security.DataDir);
        string file = Path.Combine(dir, DevelopmentKeyFile);
        string publicFile = Path.Combine(dir, DevelopmentPublicKeyFile);
        try
        {
            if (File.Exists(file))
            {
                var existing = KeyFiles.LoadPrivate(file);
                return (existing, $"development coordinator key {file} (public key: {publicFile}, key id {KeyNames.KeyId(existing.PublicKey)})");
            }
            SigningIdentity created;
            try
            {
                created = KeyFiles.CreatePrivate(file);
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process on this machine created it first: use theirs.
                var theirs = KeyFiles.LoadPrivate(file);
                return (theirs, $"development coordinator key {file} (key id {KeyNames.KeyId(theirs.PublicKey)})");
            }
            KeyFiles.WritePublic(publicFile, created);
            return (created, $"generated a development coordinator key at {file}; pin {publicFile} in host agents and clients (key id {KeyNames.KeyId(created.PublicKey)}). Set security.coordinator_key_file for production");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"security.data_dir: cannot use development key {file}: {e.Message}"]);
        }
    }
}
