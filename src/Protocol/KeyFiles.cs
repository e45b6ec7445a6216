using System.Text;
using NSec.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// Ed25519 keys in PEM files, interchangeable with OpenSSL: <c>openssl genpkey -algorithm ED25519</c> private keys
/// and <c>openssl pkey -pubout</c> public keys load as they are.
/// </summary>
public static class KeyFiles
{
    /// <summary>Permission bits a private key file must not have: any access for group or others.</summary>
    private const UnixFileMode NotForOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Loads a private key; throws <see cref="InvalidDataException"/> naming the file if it is not an Ed25519 PEM, or
    /// (not on Windows) if group or others may access it, naming its mode.
    /// </summary>
    public static SigningIdentity LoadPrivate(string path)
    {
        RequirePrivateMode(path);
        return ParsePrivate(File.ReadAllText(path), path);
    }

    /// <summary>Parses a PKCS#8 PEM private key; throws <see cref="InvalidDataException"/> naming <paramref name="origin"/> if it is not Ed25519.</summary>
    public static SigningIdentity ParsePrivate(string pem, string origin)
    {
        if (!Key.TryImport(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPrivateKeyText, out var key,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }) || key is null)
            throw new InvalidDataException($"{origin}: not an Ed25519 private key in PEM (PKCS#8) form; make one with: openssl genpkey -algorithm ED25519 -out {Path.GetFileName(origin)}");
        return new SigningIdentity(key);
    }

    /// <summary>The private key as the PKCS#8 PEM text <c>openssl genpkey -algorithm ED25519</c> writes.</summary>
    public static string PrivatePem(SigningIdentity identity) =>
        Encoding.ASCII.GetString(OpenSslText(identity.Key.Export(KeyBlobFormat.PkixPrivateKeyText)));

    /// <summary>Creates a new key file readable by its owner only (0600), failing if the file exists.</summary>
    public static SigningIdentity CreatePrivate(string path)
    {
        var identity = SigningIdentity.Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
            stream.Write(Encoding.ASCII.GetBytes(PrivatePem(identity)));
        return identity;
    }

    /// <summary>
    /// Refuses a key file group or others may access (what ssh does with its keys): a coordinator key others can read
    /// lets them sign tickets. Throws <see cref="InvalidDataException"/> naming the file, its mode and the fix.
    /// </summary>
    public static void RequirePrivateMode(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & NotForOthers) != 0)
            throw new InvalidDataException($"{path}: mode {ModeText(mode)} lets group or others access this private key; it must be 0600 (chmod 600 {path})");
    }

    /// <summary>A file mode as <c>ls</c>/<c>chmod</c> write it in octal, e.g. <c>0640</c>.</summary>
    public static string ModeText(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    // NSec ends PEM lines with CRLF; OpenSSL (and so every tool an operator compares with) writes LF.
    private static byte[] OpenSslText(byte[] pem) => Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(pem).Replace("\r\n", "\n", StringComparison.Ordinal));

    /// <summary>Writes the public half as a PEM that <c>openssl pkey -pubin</c> reads.</summary>
    public static void WritePublic(string path, SigningIdentity identity) =>
        File.WriteAllBytes(path, OpenSslText(identity.Key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText)));

    /// <summary>The public half as the PEM text <c>openssl pkey -pubout</c> prints.</summary>
    public static string PublicPem(ReadOnlySpan<byte> rawPublicKey) =>
        Encoding.ASCII.GetString(OpenSslText(PublicKey.Import(SignatureAlgorithm.Ed25519, rawPublicKey, KeyBlobFormat.RawPublicKey)
            .Export(KeyBlobFormat.PkixPublicKeyText)));

    /// <summary>
    /// Parses a pinned public key: a PEM text (<c>-----BEGIN PUBLIC KEY-----</c>), or the raw 32 bytes in base64 or hex.
    /// Returns the raw 32 bytes, or null if the text is none of these.
    /// </summary>
    public static byte[]? ParsePublic(string text)
    {
        text = text.Trim();
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return PublicKey.TryImport(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(text), KeyBlobFormat.PkixPublicKeyText, out var key) && key is not null
                ? key.Export(KeyBlobFormat.RawPublicKey)
                : null;
        }
        byte[]? raw = null;
        if (text.Length == 64 && text.All(Uri.IsHexDigit)) raw = Convert.FromHexString(text);
        else
        {
            var buffer = new byte[48];
            if (Convert.TryFromBase64String(text, buffer, out int written) && written == 32) raw = buffer[..32];
        }
        return raw is not null && PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out _) ? raw : null;
    }
}
