using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent;

/// <summary>The host's Ed25519 key (<c>identity.key_file</c>) and the host id the coordinator derives from it.</summary>
public sealed record HostIdentity(SigningIdentity Key, string HostId, string KeyFile, bool Created)
{
    /// <summary>
    /// Loads the key file, or creates it if it does not exist: mode 0600, or on Windows an ACL for this account, SYSTEM
    /// and Administrators only (<see cref="WindowsKeyFileAcl"/>). Throws <see cref="ConfigurationException"/> naming the key.
    /// </summary>
    public static HostIdentity LoadOrCreate(string keyFile)
    {
        string path = Path.GetFullPath(keyFile);
        try
        {
            if (File.Exists(path)) return Loaded(LoadPrivate(path), path, created: false);
            try
            {
                return Loaded(CreatePrivate(path), path, created: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another agent on this machine created it first: use that one.
                return Loaded(LoadPrivate(path), path, created: false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"identity.key_file: cannot use '{path}': {e.Message}"]);
        }
    }

    /// <summary>The key if the file exists (for <c>--check-config</c>, which creates nothing); null otherwise.</summary>
    public static HostIdentity? LoadExisting(string keyFile)
    {
        string path = Path.GetFullPath(keyFile);
        if (!File.Exists(path)) return null;
        try
        {
            return Loaded(LoadPrivate(path), path, created: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"identity.key_file: cannot use '{path}': {e.Message}"]);
        }
    }

    /// <summary>Refuses a key others may read: mode bits on Linux (in <see cref="KeyFiles"/>), the ACL on Windows.</summary>
    private static SigningIdentity LoadPrivate(string path)
    {
        if (OperatingSystem.IsWindows()) WindowsKeyFileAcl.Require(path);
        return KeyFiles.LoadPrivate(path);
    }

    private static SigningIdentity CreatePrivate(string path) =>
        OperatingSystem.IsWindows() ? WindowsKeyFileAcl.CreatePrivate(path) : KeyFiles.CreatePrivate(path);

    /// <summary>How the key file is kept from others, for the log.</summary>
    public string Protection => OperatingSystem.IsWindows() ? "ACL: this account, SYSTEM and Administrators only" : "mode 0600";

    private static HostIdentity Loaded(SigningIdentity key, string path, bool created) =>
        new(key, HandshakeCrypto.HostId(key.PublicKey), path, created);
}
