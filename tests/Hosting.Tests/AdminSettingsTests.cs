using Microsoft.Extensions.Configuration;

namespace P2PCluster.Hosting.Tests;

/// <summary><c>admin:</c> and the https keys of <c>http:</c>: read from YAML and the environment, and every bad value named.</summary>
public sealed class AdminSettingsTests : IDisposable
{
    private const string Hash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"; // sha256("password")
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-adminconf-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static CoordinatorSettings Load(params (string Key, string Value)[] values) =>
        CoordinatorSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    private static ConfigurationException Rejects(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Load(values));

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void DefaultsHaveNoKeysAndRefuseInsecureHttp()
    {
        var admin = Load().Admin;
        Assert.Empty(admin.AllKeys);
        Assert.False(admin.AllowInsecureHttp);
        Assert.Equal(10, admin.MaxFailedAttempts);
    }

    [Fact]
    public void ShippedConfigurationLoads()
    {
        var settings = CoordinatorSettings.Load(Path.Combine(RepoRoot(), "conf", "p2p", "p2p.conf"));
        Assert.Empty(settings.Admin.AllKeys);
        Assert.False(settings.Http.HttpsConfigured);
    }

    [Fact]
    public void YamlListOfKeysIsRead()
    {
        string conf = Write("p2p.conf", $"admin:\n  api_keys:\n    - name: ops\n      role: operate\n      sha256: {Hash}\n    - {{ name: viewer, role: read, sha256: {Hash.ToUpperInvariant()} }}\n  max_failed_attempts: 5\n");
        var admin = CoordinatorSettings.Load(conf).Admin;
        Assert.Equal([("ops", AdminRole.Operate), ("viewer", AdminRole.Read)], admin.ApiKeys.Select(k => (k.Name, k.Role!.Value)));
        Assert.Equal(5, admin.MaxFailedAttempts);
    }

    [Fact]
    public void EnvironmentStyleKeysAreRead()
    {
        var admin = Load(("admin:api_keys:0:name", "ops"), ("admin:api_keys:0:role", "operate"), ("admin:api_keys:0:sha256", Hash)).Admin;
        Assert.Equal("ops", admin.ApiKeys.Single().Name);
    }

    [Theory]
    [InlineData("role", "admin", "admin.api_keys.0.role")]
    [InlineData("sha256", "abc123", "admin.api_keys.0.sha256")]
    [InlineData("sha256", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542dz", "admin.api_keys.0.sha256")]
    [InlineData("name", "has space", "admin.api_keys.0.name")]
    [InlineData("colour", "red", "admin.api_keys.0.colour")]
    public void BadKeyEntryNamesTheKey(string field, string value, string key)
    {
        var values = new Dictionary<string, string> { ["name"] = "ops", ["role"] = "operate", ["sha256"] = Hash, [field] = value };
        var e = Rejects(values.Select(v => ($"admin:api_keys:0:{v.Key}", v.Value)).ToArray());
        Assert.Contains(e.Errors, m => m.StartsWith(key));
    }

    [Fact]
    public void MissingRoleIsAnError()
    {
        var e = Rejects(("admin:api_keys:0:name", "ops"), ("admin:api_keys:0:sha256", Hash));
        Assert.Contains(e.Errors, m => m.StartsWith("admin.api_keys.0.role") && m.Contains("read or operate"));
    }

    [Fact]
    public void KeysAsAPlainValueAreAnError()
    {
        var e = Rejects(("admin:api_keys", "ops operate " + Hash));
        Assert.Contains(e.Errors, m => m.StartsWith("admin.api_keys"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("many")]
    public void FailedAttemptLimitOutOfRangeNamesTheKey(string value) =>
        Assert.Contains(Rejects(("admin:max_failed_attempts", value)).Errors, m => m.StartsWith("admin.max_failed_attempts"));

    [Fact]
    public void KeysFileIsRead()
    {
        string file = Write("keys", $"# operators\nops operate {Hash}\n\nviewer\tREAD\t{Hash}\n");
        var admin = Load(("admin:keys_file", file)).Admin;
        Assert.Equal(["ops", "viewer"], admin.AllKeys.Select(k => k.Name));
    }

    [Theory]
    [InlineData("ops operate\n", "line 1")]
    [InlineData("ops admin " + Hash + "\n", "role 'admin'")]
    [InlineData("# ok\nops operate nothex\n", "line 2")]
    public void BadKeysFileLineNamesTheFileAndLine(string text, string expected)
    {
        var e = Rejects(("admin:keys_file", Write("keys", text)));
        Assert.Contains(e.Errors, m => m.StartsWith("admin.keys_file") && m.Contains(expected));
    }

    [Fact]
    public void MissingKeysFileNamesTheKey() =>
        Assert.Contains(Rejects(("admin:keys_file", Path.Combine(_dir.FullName, "absent"))).Errors, m => m.StartsWith("admin.keys_file") && m.Contains("absent"));

    [Fact]
    public void DuplicateNameAcrossListAndFileIsAnError()
    {
        string file = Write("keys", $"ops read {Hash}\n");
        var e = Rejects(("admin:api_keys:0:name", "ops"), ("admin:api_keys:0:role", "operate"), ("admin:api_keys:0:sha256", Hash), ("admin:keys_file", file));
        Assert.Contains(e.Errors, m => m.StartsWith("admin.api_keys") && m.Contains("'ops'"));
    }

    [Fact]
    public void HttpsUrlNeedsACertificate() =>
        Assert.Contains(Rejects(("http:urls", "https://127.0.0.1:8443")).Errors, m => m.StartsWith("http.urls") && m.Contains("http.certificate_path"));

    [Fact]
    public void UnreadableCertificateNamesTheKey()
    {
        string path = Write("bad.pfx", "not a certificate");
        var e = Rejects(("http:urls", "https://127.0.0.1:8443"), ("http:certificate_path", path));
        Assert.Contains(e.Errors, m => m.StartsWith("http.certificate_path") && m.Contains("bad.pfx"));
    }

    [Fact]
    public void MissingCertificateNamesTheKey() =>
        Assert.Contains(Rejects(("http:certificate_path", "/nonexistent/silo.pfx")).Errors, m => m.StartsWith("http.certificate_path"));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "P2PCluster.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no P2PCluster.sln");
    }
}
