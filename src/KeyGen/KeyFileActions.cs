using P2PCluster.Protocol;

namespace P2PCluster.KeyGen;

/// <summary>Writing a new key file and naming an existing one.</summary>
public static class KeyFileActions
{
    /// <summary>Writes a new Ed25519 key to <paramref name="file"/> (0600); an existing file is replaced only with <paramref name="force"/>.</summary>
    public static int Generate(string file, bool force, KeyOutput output)
    {
        string path = Path.GetFullPath(file);
        if (Directory.Exists(path)) throw KeyGenException.BadArgument("--out", $"{path} is a directory");
        if (File.Exists(path) && !force)
            throw new KeyGenException(ExitCodes.Refused, $"{path} exists; --force replaces it (the key in it is then gone for good)");
        SigningIdentity key;
        try
        {
            if (!force) key = KeyFiles.CreatePrivate(path);
            else
            {
                // Written aside and renamed over: the file holds the old key or the new one, never half of one.
                string aside = $"{path}.{Guid.NewGuid():N}.new";
                key = KeyFiles.CreatePrivate(aside);
                File.Move(aside, path, overwrite: true);
            }
        }
        catch (IOException) when (!force && File.Exists(path))
        {
            throw new KeyGenException(ExitCodes.Refused, $"{path} exists; --force replaces it (the key in it is then gone for good)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyGenException(ExitCodes.Refused, $"cannot write {path}: {e.Message}");
        }
        using (key) return Describe(key.PublicKey, $"wrote {path} (mode 0600)", path, output);
    }

    /// <summary>Names the key in an existing private key file (refused if group or others may read it).</summary>
    public static int Show(string file, KeyOutput output)
    {
        string path = Path.GetFullPath(file);
        if (!File.Exists(path)) throw KeyGenException.BadArgument("--show", $"{path} does not exist");
        try
        {
            using var key = KeyFiles.LoadPrivate(path);
            return Describe(key.PublicKey, path, path, output);
        }
        catch (InvalidDataException e)
        {
            throw new KeyGenException(ExitCodes.Refused, e.Message);
        }
    }

    private static int Describe(byte[] publicKey, string headline, string path, KeyOutput output)
    {
        var record = KeyOutput.Describe(publicKey);
        record["file"] = path;
        output.Write(record, [
            headline,
            $"public key:  {KeyNames.PublicKeyBase64(publicKey)}",
            $"key id:      {KeyNames.KeyId(publicKey)}",
            $"fingerprint: {KeyNames.Fingerprint(publicKey)}",
        ]);
        return ExitCodes.Ok;
    }
}
