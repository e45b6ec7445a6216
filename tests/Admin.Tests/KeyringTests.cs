using Microsoft.Extensions.Configuration;
using P2PCluster.Admin.Auth;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Tests;

/// <summary><see cref="AdminKeyring"/>: configured keys by hash, and the development key only on the embedded default.</summary>
public sealed class KeyringTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-keyring-");

    public void Dispose() => _dir.Delete(recursive: true);

    private CoordinatorSettings Settings(params (string Key, string Value)[] values) =>
        CoordinatorSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Append((Key: "security:data_dir", Value: _dir.FullName)).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void ConfiguredKeysAreFoundByTheirHashOnly()
    {
        var keyring = AdminKeyring.Load(Settings(
            ("admin:api_keys:0:name", "ops"), ("admin:api_keys:0:role", "operate"), ("admin:api_keys:0:sha256", AdminSilo.Sha256Hex("secret-one")),
            ("admin:api_keys:1:name", "viewer"), ("admin:api_keys:1:role", "READ"), ("admin:api_keys:1:sha256", AdminSilo.Sha256Hex("secret-two").ToUpperInvariant())));
        Assert.Equal("ops", keyring.Find("secret-one")?.Name);
        Assert.Equal(AdminRole.Read, keyring.Find("secret-two")?.Role);
        Assert.Null(keyring.Find(AdminSilo.Sha256Hex("secret-one"))); // the hash itself is not a key
        Assert.Null(keyring.Find(""));
        Assert.Null(keyring.Find(new string('x', AdminKeyring.MaxKeyLength + 1)));
        Assert.False(keyring.Development);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, DevelopmentAdminKey.FileName)));
    }

    [Fact]
    public void WithADatabaseAndNoKeysNothingIsGeneratedAndNothingIsAccepted()
    {
        var keyring = AdminKeyring.Load(Settings(("database:connection_string", "Server=127.0.0.1;Database=x;User ID=u")));
        Assert.Empty(keyring.Keys);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, DevelopmentAdminKey.FileName)));
        Assert.Contains("every call is refused", keyring.Origin);
    }

    [Fact]
    public void UnreadableDevelopmentKeyNamesTheDataDir()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, DevelopmentAdminKey.FileName), "short\n");
        var e = Assert.Throws<ConfigurationException>(() => AdminKeyring.Load(Settings()));
        Assert.StartsWith("security.data_dir", e.Errors.Single());
    }
}
