using System.Buffers.Binary;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Release.Tests;

/// <summary>
/// scripts/publish.sh's archives (run once, <see cref="ReleaseArchives"/>): checksums that verify, the layout
/// docs/deploy.md installs from, Linux programs that run from the unpacked archive under their installed names, and
/// Windows executables that are PE files for x64.
/// </summary>
[Collection(ReleaseCollection.Name)]
public sealed class ReleaseArchiveTests(ReleaseArchives release, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The Linux programs, by installed name.</summary>
    public static readonly string[] LinuxPrograms =
        ["p2p-coordinator", "p2p-demo", "p2p-gateway", "p2p-host-agent", "p2p-keygen", "p2p-control", "p2p-diagnostic", "p2p-client"];

    [Fact]
    public async Task ArchivesMatchTheSha256SumsBesideThem()
    {
        output.WriteLine($"publish.sh took {release.PublishTime.TotalSeconds:F0} s; " +
            $"linux-x64 {new FileInfo(release.LinuxArchive).Length / 1e6:F1} MB, win-x64 {new FileInfo(release.WindowsArchive).Length / 1e6:F1} MB");
        Assert.Equal(
            [Path.GetFileName(release.LinuxArchive), Path.GetFileName(release.WindowsArchive)],
            ListedFiles(Path.Combine(release.Out, "SHA256SUMS")).Order(StringComparer.Ordinal));
        await AssertSumsVerifyAsync(release.Out);
    }

    [Fact]
    public async Task EveryFileOfTheLinuxArchiveMatchesItsSha256Sums() => await AssertArchiveSumsAsync(release.LinuxRoot);

    [Fact]
    public async Task EveryFileOfTheWindowsArchiveMatchesItsSha256Sums() => await AssertArchiveSumsAsync(release.WindowsRoot);

    [Fact]
    public void LinuxArchiveHasTheInstallLayout()
    {
        string root = release.LinuxRoot;
        Assert.Equal([root], Directory.GetFileSystemEntries(release.LinuxUnpacked));
        Assert.Equal(["README.md", "SHA256SUMS", "bin", "conf", "deploy", "docs", "sql"], Entries(root));
        foreach (string program in LinuxPrograms)
        {
            var mode = File.GetUnixFileMode(Path.Combine(root, "bin", program));
            Assert.True(mode.HasFlag(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute), $"bin/{program} is {mode}");
        }
        Assert.Equal(["p2p.conf", "host_node.conf"], Entries(Path.Combine(root, "conf", "p2p")).OrderDescending(StringComparer.Ordinal));
        Assert.Equal(Entries(Path.Combine(RepoPaths.Root, "sql")), Entries(Path.Combine(root, "sql")));
        Assert.Contains("operations.md", Entries(Path.Combine(root, "docs")));
        // deploy/: what the repository has of systemd units, logrotate and Prometheus files, nothing else.
        string[] shipped = ["logrotate", "prometheus", "systemd"];
        Assert.Equal(shipped.Where(d => Directory.Exists(Path.Combine(RepoPaths.Root, "deploy", d))), Entries(Path.Combine(root, "deploy")));
        // What runs and nothing of the build: no symbols, no IIS web.config, no development accounts.
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToList();
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith("web.config", StringComparison.Ordinal)
            || f.EndsWith("dev_accounts.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void WindowsArchiveHasTheAgentAndTheClient()
    {
        string root = release.WindowsRoot;
        Assert.Equal([root], Directory.GetFileSystemEntries(release.WindowsUnpacked));
        Assert.Equal(["README.md", "SHA256SUMS", "conf", "docs", "p2p-client.exe", "p2p-host-agent.exe"], Entries(root));
        Assert.Equal(["host_node.conf"], Entries(Path.Combine(root, "conf", "p2p")));
        Assert.Contains("host-agent.md", Entries(Path.Combine(root, "docs")));
    }

    [Theory]
    [InlineData("p2p-host-agent.exe")]
    [InlineData("p2p-client.exe")]
    public void WindowsProgramIsAnX64PeExecutable(string program)
    {
        byte[] head = new byte[4096];
        using (var file = File.OpenRead(Path.Combine(release.WindowsRoot, program))) file.ReadExactly(head);
        Assert.Equal("MZ"u8.ToArray(), head[..2]);
        int pe = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(0x3C));
        Assert.InRange(pe, 0x40, head.Length - 24);
        Assert.Equal("PE\0\0"u8.ToArray(), head[pe..(pe + 4)]);
        Assert.Equal(0x8664, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(pe + 4))); // IMAGE_FILE_MACHINE_AMD64
        ushort characteristics = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(pe + 22));
        Assert.True((characteristics & 0x0002) != 0, $"{program} is not marked executable (IMAGE_FILE_EXECUTABLE_IMAGE): 0x{characteristics:X4}");
        Assert.True((characteristics & 0x2000) == 0, $"{program} is a DLL, not an executable: 0x{characteristics:X4}");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task LinuxProgramRunsFromTheUnpackedArchive(string program)
    {
        // Renamed apphosts (p2p-coordinator is P2PCluster.Silo's) find their dll and the one runtime in bin/.
        var run = await ProcessRun.RunAsync(Path.Combine(release.LinuxRoot, "bin", program), ["--version"], release.LinuxRoot, Timeout);
        Assert.True(run.ExitCode == 0, run.Describe());
        string expected = release.Version + (ReleaseVersion.FromGitCheckout ? "+" + await HeadCommitAsync() : "");
        Assert.Equal(expected + "\n", run.StandardOutput);
    }

    public static TheoryData<string> Programs => new(LinuxPrograms);

    private static async Task<string> HeadCommitAsync()
    {
        var git = await ProcessRun.RunAsync("git", ["rev-parse", "HEAD"], RepoPaths.Root, Timeout);
        Assert.True(git.ExitCode == 0, git.Describe());
        return git.StandardOutput.Trim();
    }

    /// <summary>SHA256SUMS at the archive's root lists every other file of it, and each checks.</summary>
    private static async Task AssertArchiveSumsAsync(string root)
    {
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f))
            .Where(f => f != "SHA256SUMS").Order(StringComparer.Ordinal);
        Assert.Equal(files, ListedFiles(Path.Combine(root, "SHA256SUMS")).Order(StringComparer.Ordinal));
        await AssertSumsVerifyAsync(root);
    }

    private static async Task AssertSumsVerifyAsync(string folder)
    {
        var check = await ProcessRun.RunAsync("sha256sum", ["--check", "--strict", "SHA256SUMS"], folder, Timeout);
        Assert.True(check.ExitCode == 0, check.Describe());
    }

    private static IEnumerable<string> ListedFiles(string sums) =>
        File.ReadAllLines(sums).Select(line => line.Split("  ", 2)[1]);

    private static IEnumerable<string> Entries(string folder) =>
        Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
