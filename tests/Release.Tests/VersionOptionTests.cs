using P2PCluster.TestSupport;

namespace P2PCluster.Release.Tests;

/// <summary>
/// <c>--version</c> on every program of the release: one line, the same version for all, exit 0, and nothing started
/// (the working folder holds a configuration every program would refuse, so reading it would fail the run).
/// </summary>
public sealed class VersionOptionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Each program: its project under src/, its assembly, the name it is installed under.</summary>
    public static TheoryData<string, string, string> Programs => new()
    {
        { "Silo", "P2PCluster.Silo", "p2p-coordinator" },
        { "Demo", "p2p-demo", "p2p-demo" },
        { "Gateway", "P2PCluster.Gateway", "p2p-gateway" },
        { "HostAgent", "P2PCluster.HostAgent", "p2p-host-agent" },
        { "PlayerCli", "p2p-client", "p2p-client" },
        { "KeyGen", "p2p-keygen", "p2p-keygen" },
        { "Control", "p2p-control", "p2p-control" },
        { "Diagnostic", "p2p-diagnostic", "p2p-diagnostic" },
    };

    [Fact]
    public void TheVersionIsDirectoryBuildPropsPrefixAndTheCommit()
    {
        Assert.Matches(ReleaseVersion.Shape(), ReleaseVersion.Expected);
        Assert.StartsWith(ReleaseVersion.Prefix, ReleaseVersion.Expected, StringComparison.Ordinal);
        if (ReleaseVersion.FromGitCheckout) Assert.Contains('+', ReleaseVersion.Expected);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task VersionPrintsTheReleaseVersionAndStartsNothing(string project, string assembly, string installedAs)
    {
        var folder = Directory.CreateTempSubdirectory($"p2p-version-{installedAs}-");
        try
        {
            // Configuration that stops every program at once if it is read: --version must not get that far.
            Directory.CreateDirectory(Path.Combine(folder.FullName, "conf", "p2p"));
            foreach (string name in new[] { "p2p.conf", "host_node.conf" })
                File.WriteAllText(Path.Combine(folder.FullName, "conf", "p2p", name), "no_such_section: [unclosed\n");
            var environment = new Dictionary<string, string>
            {
                ["P2P_coordinator__port"] = "-1",
                ["P2P_http__urls"] = "not a url",
                ["P2P_CONTROL_URL"] = "not a url",
            };

            var run = await ProcessRun.RunAsync("dotnet", [RepoPaths.Program(project, assembly), "--version"], folder.FullName, Timeout, environment);

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.True(run.StandardError.Length == 0, run.Describe());
            Assert.Equal(ReleaseVersion.Expected + "\n", run.StandardOutput);
            Assert.Empty(Directory.GetFileSystemEntries(folder.FullName).Except([Path.Combine(folder.FullName, "conf")]));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
