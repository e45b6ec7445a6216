using System.Diagnostics;

namespace P2PCluster.Protocol.Tests;

/// <summary>Coordinator and host keys interoperate with OpenSSL, as operators will make them.</summary>
public sealed class KeyFilesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-keys-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static string OpenSsl(params string[] args)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', args)}: {output}");
        return output;
    }

    [Fact]
    public void OpenSslGeneratedKeyLoadsAndItsSignaturesVerifyWithOpenSsl()
    {
        OpenSsl("genpkey", "-algorithm", "ED25519", "-out", PathOf("coordinator.pem"));
        OpenSsl("pkey", "-in", PathOf("coordinator.pem"), "-pubout", "-out", PathOf("coordinator.pub.pem"));
        using var identity = KeyFiles.LoadPrivate(PathOf("coordinator.pem"));

        Assert.Equal(identity.PublicKey, KeyFiles.ParsePublic(File.ReadAllText(PathOf("coordinator.pub.pem"))));
        byte[] message = "P2PCluster"u8.ToArray();
        File.WriteAllBytes(PathOf("message"), message);
        File.WriteAllBytes(PathOf("signature"), identity.Sign(message));
        string verdict = OpenSsl("pkeyutl", "-verify", "-pubin", "-inkey", PathOf("coordinator.pub.pem"), "-rawin",
            "-in", PathOf("message"), "-sigfile", PathOf("signature"));
        Assert.Contains("Signature Verified Successfully", verdict);
    }

    [Fact]
    public void CreatedKeyIsPrivateToItsOwnerAndReadableByOpenSsl()
    {
        using var created = KeyFiles.CreatePrivate(PathOf("host.pem"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf("host.pem")));
        OpenSsl("pkey", "-in", PathOf("host.pem"), "-noout");
        Assert.Throws<IOException>(() => KeyFiles.CreatePrivate(PathOf("host.pem"))); // never overwritten
        using var loaded = KeyFiles.LoadPrivate(PathOf("host.pem"));
        Assert.Equal(created.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void PublicKeyParsesFromPemBase64AndHex()
    {
        using var identity = SigningIdentity.Generate();
        KeyFiles.WritePublic(PathOf("pub.pem"), identity);
        Assert.Equal(identity.PublicKey, KeyFiles.ParsePublic(File.ReadAllText(PathOf("pub.pem"))));
        Assert.Equal(identity.PublicKey, KeyFiles.ParsePublic(Convert.ToBase64String(identity.PublicKey)));
        Assert.Equal(identity.PublicKey, KeyFiles.ParsePublic(Convert.ToHexString(identity.PublicKey)));
        Assert.Null(KeyFiles.ParsePublic("not a key"));
        Assert.Null(KeyFiles.ParsePublic(Convert.ToBase64String(new byte[31])));
    }

    [Fact]
    public void NonKeyFileIsRejectedNamingTheFile()
    {
        File.WriteAllText(PathOf("junk.pem"), "hello");
        File.SetUnixFileMode(PathOf("junk.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite); // refused for its content, not its mode
        var e = Assert.Throws<InvalidDataException>(() => KeyFiles.LoadPrivate(PathOf("junk.pem")));
        Assert.Contains("junk.pem", e.Message);
        Assert.Contains("not an Ed25519 private key", e.Message);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "0604")]
    public void KeyReadableByGroupOrOthersIsRefusedNamingTheFileAndMode(UnixFileMode mode, string octal)
    {
        using (KeyFiles.CreatePrivate(PathOf("open.pem"))) { }
        File.SetUnixFileMode(PathOf("open.pem"), mode);
        var e = Assert.Throws<InvalidDataException>(() => KeyFiles.LoadPrivate(PathOf("open.pem")));
        Assert.Contains(PathOf("open.pem"), e.Message);
        Assert.Contains(octal, e.Message);
    }

    [Fact]
    public void CreatedKeyIsByteForByteTheFormOpenSslWrites()
    {
        using (KeyFiles.CreatePrivate(PathOf("ours.pem"))) { }
        string ours = File.ReadAllText(PathOf("ours.pem"));
        // openssl re-encodes the key it reads in its own PKCS#8 PEM form: identical text means identical form.
        Assert.Equal(OpenSsl("pkey", "-in", PathOf("ours.pem")), ours);
    }
}
