using P2PCluster.TestSupport;

namespace P2PCluster.Release.Tests;

/// <summary>scripts/publish.sh refuses bad arguments before building anything, naming the argument, with exit 2.</summary>
public sealed class PublishScriptArgumentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string Script = Path.Combine(RepoPaths.Root, "scripts", "publish.sh");

    [Fact]
    public async Task HelpNamesEveryOption()
    {
        var run = await ProcessRun.RunAsync("bash", [Script, "--help"], RepoPaths.Root, Timeout);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("--out DIR", run.StandardOutput);
        Assert.Contains("--rid RID", run.StandardOutput);
        Assert.Contains("--print-version", run.StandardOutput);
    }

    [Theory]
    [InlineData("--rid", "osx-arm64", "--rid 'osx-arm64': must be linux-x64 or win-x64")]
    [InlineData("--rid", null, "--rid needs linux-x64 or win-x64")]
    [InlineData("--out", null, "--out needs a folder")]
    [InlineData("--frobnicate", null, "unknown argument '--frobnicate'")]
    public async Task BadArgumentIsRefusedNamingIt(string option, string? value, string message)
    {
        var folder = Directory.CreateTempSubdirectory("p2p-publish-args-");
        try
        {
            string[] arguments = value is null ? [Script, option] : [Script, option, value];
            var run = await ProcessRun.RunAsync("bash", arguments, folder.FullName, Timeout);
            Assert.True(run.ExitCode == 2, run.Describe());
            Assert.Contains(message, run.StandardError);
            Assert.Empty(folder.GetFileSystemInfos()); // nothing was written
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
