using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

public sealed class HostIdentityTests
{
    [Fact]
    public void KeyFileIsCreatedOwnerOnlyOnceAndThenReused()
    {
        string dir = Directory.CreateTempSubdirectory("p2p-hostkey-").FullName;
        try
        {
            string file = Path.Combine(dir, "data", "host_ed25519.pem");
            Assert.Null(HostIdentity.LoadExisting(file));

            var first = HostIdentity.LoadOrCreate(file);
            Assert.True(first.Created);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(HandshakeCrypto.HostId(first.Key.PublicKey), first.HostId);
            Assert.Matches("^h[0-9a-f]{20}$", first.HostId);
            var written = File.GetLastWriteTimeUtc(file);

            var second = HostIdentity.LoadOrCreate(file);
            Assert.False(second.Created);
            Assert.Equal(first.HostId, second.HostId);
            Assert.Equal(first.HostId, HostIdentity.LoadExisting(file)!.HostId);
            Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnusableKeyFileIsRejectedNamingTheKey()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            var e = Assert.Throws<ConfigurationException>(() => HostIdentity.LoadOrCreate(file));
            Assert.StartsWith($"identity.key_file: cannot use '{file}'", Assert.Single(e.Errors));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
