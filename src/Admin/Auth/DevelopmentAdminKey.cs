using System.Security.Cryptography;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Auth;

/// <summary>
/// The embedded default's development operate key: 32 random bytes as hex in <c>data_dir/admin_api.key</c> (mode 0600),
/// beside the development coordinator key, made once and reused.
/// </summary>
public static class DevelopmentAdminKey
{
    public const string FileName = "admin_api.key";
    public const string KeyName = "development";

    /// <summary>The key, its file, and whether this call made it. Throws <see cref="ConfigurationException"/> naming security.data_dir.</summary>
    public static (string Key, string Path, bool Created) LoadOrCreate(string dataDir)
    {
        string dir = System.IO.Path.GetFullPath(dataDir);
        string file = System.IO.Path.Combine(dir, FileName);
        try
        {
            if (File.Exists(file)) return (Read(file), file, false);
            Directory.CreateDirectory(dir);
            string key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(file, options);
                using var writer = new StreamWriter(stream);
                writer.WriteLine(key);
            }
            catch (IOException) when (File.Exists(file))
            {
                return (Read(file), file, false); // another process on this machine made it first: use theirs
            }
            return (key, file, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new ConfigurationException([$"security.data_dir: cannot use the development admin key {file}: {e.Message}"]);
        }
    }

    private static string Read(string file)
    {
        string key = File.ReadAllText(file).Trim();
        if (key.Length is < 16 or > AdminKeyring.MaxKeyLength)
            throw new InvalidDataException("it does not hold a key (delete it and a new one is made)");
        return key;
    }
}
