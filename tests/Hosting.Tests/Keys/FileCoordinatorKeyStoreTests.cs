using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.Hosting.Tests.Keys;

/// <summary>The embedded default's key set file: private to its owner, read back equal, refused when others may read it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileCoordinatorKeyStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-keyset-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string FilePath => Path.Combine(_dir.FullName, "data", CoordinatorKeyStores.FileName);

    [Fact]
    public async Task SeededAndRotatedSetReadsBackEqualFromAFileOnlyItsOwnerCanRead()
    {
        var store = new FileCoordinatorKeyStore(FilePath);
        Assert.Empty((await store.ReadAsync(CancellationToken.None)).Entries);
        using var first = SigningIdentity.Generate();
        using var second = SigningIdentity.Generate();
        var now = DateTimeOffset.UtcNow;
        await store.UpdateAsync(set => KeyRollover.Seed(set, first, now), CancellationToken.None);
        await store.UpdateAsync(set => KeyRollover.Rotate(set, second, now, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        var set = await new FileCoordinatorKeyStore(FilePath).ReadAsync(CancellationToken.None);
        Assert.Equal(2, set.Entries.Count);
        var old = set.Find(KeyNames.KeyId(first.PublicKey))!;
        Assert.Equal(first.PublicKey, old.PublicKey);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((now + TimeSpan.FromSeconds(60) + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds()), old.RetireAt);
        using var signer = KeyFiles.ParsePrivate(old.PrivateKeyPem, "entry");
        Assert.Equal(first.PublicKey, signer.PublicKey);
    }

    [Fact]
    public async Task SetFileOthersMayReadIsRefusedNamingFileAndMode()
    {
        var store = new FileCoordinatorKeyStore(FilePath);
        using var key = SigningIdentity.Generate();
        await store.UpdateAsync(set => KeyRollover.Seed(set, key, DateTimeOffset.UtcNow), CancellationToken.None);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(CancellationToken.None));
        Assert.Contains(FilePath, e.Message);
        Assert.Contains("0604", e.Message);
    }
}
