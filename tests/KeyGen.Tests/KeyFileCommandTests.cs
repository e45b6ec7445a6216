using P2PCluster.Protocol;

namespace P2PCluster.KeyGen.Tests;

/// <summary>p2p-keygen writing and naming key files, run as a process and checked with openssl.</summary>
public sealed class KeyFileCommandTests : IDisposable
{
    private readonly KeyGenRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task WrittenKeyIsWhatOpenSslWritesPrivateToItsOwnerAndNamedAsEverywhere()
    {
        var (code, stdout, output) = await _run.KeyGenAsync("--out", "coordinator.pem", "--json");

        Assert.True(code == 0, output);
        string file = _run.PathOf("coordinator.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(_run.OpenSsl("pkey", "-in", file), File.ReadAllText(file)); // openssl re-encodes it byte for byte
        _run.OpenSsl("pkey", "-in", file, "-pubout", "-out", _run.PathOf("coordinator.pub.pem"));
        byte[] publicKey = KeyFiles.ParsePublic(File.ReadAllText(_run.PathOf("coordinator.pub.pem")))!;
        var printed = KeyGenRun.Json(stdout);
        Assert.Equal(Convert.ToBase64String(publicKey), printed.GetProperty("publicKey").GetString());
        Assert.Equal(KeyNames.KeyId(publicKey), printed.GetProperty("keyId").GetString());
        Assert.Equal(KeyNames.Fingerprint(publicKey), printed.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task ExistingKeyIsKeptWithoutForceAndReplacedWithIt()
    {
        Assert.Equal(0, (await _run.KeyGenAsync("--out", "k.pem")).ExitCode);
        string before = File.ReadAllText(_run.PathOf("k.pem"));

        var refused = await _run.KeyGenAsync("--out", "k.pem");
        Assert.True(refused.ExitCode == 4, refused.Output);
        Assert.Contains("--force", refused.Output);
        Assert.Equal(before, File.ReadAllText(_run.PathOf("k.pem")));

        var forced = await _run.KeyGenAsync("--out", "k.pem", "--force");
        Assert.True(forced.ExitCode == 0, forced.Output);
        Assert.NotEqual(before, File.ReadAllText(_run.PathOf("k.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_run.PathOf("k.pem")));
        Assert.Single(Directory.GetFiles(_run.Folder)); // nothing left aside
    }

    [Fact]
    public async Task OpenSslKeyIsShownAndAGroupReadableOneRefusedNamingFileAndMode()
    {
        _run.OpenSsl("genpkey", "-algorithm", "ED25519", "-out", "ossl.pem");
        using var key = KeyFiles.LoadPrivate(_run.PathOf("ossl.pem"));
        var shown = await _run.KeyGenAsync("--show", "ossl.pem");
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Contains(KeyNames.Fingerprint(key.PublicKey), shown.Output);

        File.SetUnixFileMode(_run.PathOf("ossl.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var refused = await _run.KeyGenAsync("--show", "ossl.pem");
        Assert.True(refused.ExitCode == 4, refused.Output);
        Assert.Contains(_run.PathOf("ossl.pem"), refused.Output);
        Assert.Contains("mode 0640", refused.Output);
    }

    [Theory]
    [InlineData("--retire", new[] { "--retire", "xyz" })]
    [InlineData("--revoke", new[] { "--revoke" })]
    [InlineData("--rotate", new[] { "--rotate", "--list" })]
    [InlineData("--out", new[] { "--list", "--out", "x.pem" })]
    [InlineData("--force", new[] { "--rotate", "--force" })]
    [InlineData("--config", new[] { "--list", "--config", "/nonexistent/p2p.conf" })]
    [InlineData("--config", new[] { "--out", "x.pem", "--config", "p2p.conf" })]
    [InlineData("--out", new[] { "--out", "." })]
    [InlineData("--show", new[] { "--show", "missing.pem" })]
    [InlineData("--bogus", new[] { "--bogus" })]
    public async Task BadArgumentsExit2NamingTheOption(string option, string[] arguments)
    {
        var (code, _, output) = await _run.KeyGenAsync(arguments);
        Assert.True(code == 2, output);
        Assert.Contains(option, output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(_run.PathOf("x.pem")));
    }
}
