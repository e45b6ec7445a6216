using System.Security.Cryptography;
using System.Text;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Auth;

/// <summary>
/// The keys the API accepts. A presented key is hashed and compared with every configured hash in constant time
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>), without stopping at a match, so timing tells nothing.
/// </summary>
public sealed class AdminKeyring(IReadOnlyList<AdminKey> keys, string origin, bool development)
{
    /// <summary>Longest key accepted; a longer one is wrong without being hashed.</summary>
    public const int MaxKeyLength = 512;

    public IReadOnlyList<AdminKey> Keys { get; } = keys;

    /// <summary>Where the keys came from, for the start-up log (the development key's path).</summary>
    public string Origin { get; } = origin;

    /// <summary>True when the only key is the embedded default's generated development key.</summary>
    public bool Development { get; } = development;

    public AdminKey? Find(string presented)
    {
        if (presented.Length is 0 or > MaxKeyLength) return null;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        AdminKey? found = null;
        foreach (var key in Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash)) found ??= key;
        }
        return found;
    }

    /// <summary>
    /// The keys of <c>admin.api_keys</c> and <c>admin.keys_file</c>; with none on the embedded default, the development
    /// operate key in <c>security.data_dir</c> (made on first start). Throws <see cref="ConfigurationException"/>.
    /// </summary>
    public static AdminKeyring Load(CoordinatorSettings settings)
    {
        var configured = settings.Admin.AllKeys
            .Select(k => new AdminKey(k.Name, k.Role!.Value, Convert.FromHexString(k.Sha256)))
            .ToList();
        if (configured.Count > 0)
        {
            return new AdminKeyring(configured,
                $"{configured.Count} key(s) ({configured.Count(k => k.CanOperate)} operate) from admin.api_keys and admin.keys_file", development: false);
        }
        if (!settings.Database.IsEmbedded)
            return new AdminKeyring([], "no keys (admin.api_keys, admin.keys_file): every call is refused with 401", development: false);

        var (key, path, created) = DevelopmentAdminKey.LoadOrCreate(settings.Security.DataDir);
        var dev = new AdminKey(DevelopmentAdminKey.KeyName, AdminRole.Operate, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        string verb = created ? "generated a" : "using the";
        return new AdminKeyring([dev],
            $"{verb} development operate key at {path} (curl -H \"Authorization: Bearer $(cat {path})\" .../api/v1/summary); set admin.api_keys for production",
            development: true);
    }
}
