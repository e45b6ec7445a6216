using P2PCluster.TestSupport;

namespace P2PCluster.Release.Tests;

/// <summary>
/// The version publish.sh gives the archives (<c>--print-version</c>): Directory.Build.props' VersionPrefix, or X.Y.Z
/// when HEAD is tagged vX.Y.Z; a v-tag of another shape is refused, naming it. Runs in a small git repository holding
/// the files the version is read from, so tags never touch this one.
/// </summary>
public sealed class ReleaseVersionScriptTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _repo = Directory.CreateTempSubdirectory("p2p-version-repo-");

    public ReleaseVersionScriptTests()
    {
        foreach (string file in new[] { "scripts/publish.sh", "Directory.Build.props", "Directory.Packages.props", "global.json", "src/Silo/Silo.csproj" })
        {
            string target = Path.Combine(_repo.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(RepoPaths.Root, file), target);
        }
    }

    public void Dispose() => _repo.Delete(recursive: true);

    [Fact]
    public async Task UntaggedHeadCarriesTheVersionPrefix()
    {
        await CommitAsync();
        var run = await PrintVersionAsync();
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(ReleaseVersion.Prefix + "\n", run.StandardOutput);
    }

    [Theory]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("v2.0.0-rc.1", "2.0.0-rc.1")]
    public async Task ReleaseTagOnHeadIsTheVersion(string tag, string version)
    {
        await CommitAsync();
        await GitAsync("tag", tag);
        var run = await PrintVersionAsync();
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(version + "\n", run.StandardOutput);
    }

    [Fact]
    public async Task MalformedReleaseTagIsRefusedNamingIt()
    {
        await CommitAsync();
        await GitAsync("tag", "v1.2");
        var run = await PrintVersionAsync();
        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains("tag 'v1.2' on HEAD is not vX.Y.Z", run.StandardError);
    }

    private async Task<ProcessRun> PrintVersionAsync() =>
        await ProcessRun.RunAsync("bash", [Path.Combine(_repo.FullName, "scripts", "publish.sh"), "--print-version"], _repo.FullName, Timeout);

    private async Task CommitAsync()
    {
        await GitAsync("init", "-q");
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "release");
    }

    private async Task GitAsync(params string[] arguments)
    {
        var run = await ProcessRun.RunAsync("git", arguments, _repo.FullName, Timeout);
        Assert.True(run.ExitCode == 0, run.Describe());
    }
}
