using System.Net;

namespace P2PCluster.Admin.Tests;

/// <summary>The embedded default with no keys configured makes a development operate key in data/ and logs where.</summary>
public sealed class DevelopmentKeyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-dev-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task EmbeddedDefaultWritesAnOperateKeyReadableOnlyByItsOwnerAndLogsThePath()
    {
        await using var silo = await AdminSilo.StartAsync(AdminSilo.Environment(_dir.FullName));
        string file = Path.Combine(silo.Process.WorkingDirectory, "data", "admin_api.key");
        Assert.True(File.Exists(file), silo.Process.Output);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains($"generated a development operate key at {file}", silo.Process.Output);
        string key = File.ReadAllText(file).Trim();
        Assert.Equal(64, key.Length);

        // It is an operate key: an operate route passes authorization and leaves a row under the name "development".
        using var client = silo.Client(key);
        using var response = await client.PostAsync("/api/v1/network/resume", null);
        Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), await response.Content.ReadAsStringAsync());
        var audit = await AuditRows.GetAsync(client);
        Assert.Contains(audit, row => row.KeyName == "development" && row.Action == "resume" && row.Target == "network");
    }

    [Fact]
    public async Task SecondStartReusesTheKey()
    {
        var env = AdminSilo.Environment(_dir.FullName);
        string dataDir = Path.Combine(_dir.FullName, "data");
        env["P2P_security__data_dir"] = dataDir;
        string first;
        await using (var silo = await AdminSilo.StartAsync(env))
            first = await File.ReadAllTextAsync(Path.Combine(dataDir, "admin_api.key"));
        env["P2P_http__urls"] = $"http://127.0.0.1:{P2PCluster.TestSupport.FreePort.Next()}";
        await using var again = await AdminSilo.StartAsync(env);
        Assert.Equal(first, await File.ReadAllTextAsync(Path.Combine(dataDir, "admin_api.key")));
        Assert.Contains("using the development operate key at", again.Process.Output);
        using var client = again.Client(first.Trim());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/audit")).StatusCode);
    }
}
