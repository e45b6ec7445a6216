using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using P2PCluster.TestSupport;

namespace P2PCluster.Release.Tests;

/// <summary>
/// scripts/publish.sh run once into a temporary folder, both archives unpacked beside it: what the tests of
/// <see cref="ReleaseArchiveTests"/> look at, and how long the publish took.
/// </summary>
public sealed partial class ReleaseArchives : IAsyncLifetime
{
    // A full publish is a few minutes of two cores; on a machine shared with other builds it takes longer.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("p2p-release-");

    /// <summary>Where publish.sh wrote the archives and SHA256SUMS.</summary>
    public string Out => Path.Combine(_folder.FullName, "dist");

    /// <summary>The version in the archives' names (X.Y.Z[-suffix]).</summary>
    public string Version { get; private set; } = "";

    public string LinuxArchive => Path.Combine(Out, $"p2pcluster-{Version}-linux-x64.tar.gz");
    public string WindowsArchive => Path.Combine(Out, $"p2pcluster-{Version}-win-x64.zip");

    /// <summary>Where each archive was unpacked: each holds the one root folder <c>p2pcluster-VERSION</c>.</summary>
    public string LinuxUnpacked => Path.Combine(_folder.FullName, "linux");
    public string WindowsUnpacked => Path.Combine(_folder.FullName, "windows");

    public string LinuxRoot => Path.Combine(LinuxUnpacked, $"p2pcluster-{Version}");
    public string WindowsRoot => Path.Combine(WindowsUnpacked, $"p2pcluster-{Version}");

    public TimeSpan PublishTime { get; private set; }

    /// <summary>What publish.sh said, for assertion messages.</summary>
    public ProcessRun Publish { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        Publish = await ProcessRun.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "publish.sh"), "--out", Out], _folder.FullName, PublishTimeout);
        PublishTime = clock.Elapsed;
        if (Publish.ExitCode != 0) throw new InvalidOperationException(Publish.Describe());

        var names = Directory.GetFiles(Out, "p2pcluster-*-linux-x64.tar.gz").Select(Path.GetFileName).ToList();
        if (names.Count != 1) throw new InvalidOperationException($"expected one linux-x64 archive in {Out}, found [{string.Join(", ", names)}]\n{Publish.Describe()}");
        Version = ArchiveVersion().Match(names[0]!).Groups[1].Value;

        Directory.CreateDirectory(LinuxUnpacked);
        var untar = await ProcessRun.RunAsync("tar", ["-xzf", LinuxArchive, "-C", LinuxUnpacked], _folder.FullName, TimeSpan.FromMinutes(2));
        if (untar.ExitCode != 0) throw new InvalidOperationException(untar.Describe());
        ZipFile.ExtractToDirectory(WindowsArchive, WindowsUnpacked);
    }

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"^p2pcluster-(.+)-linux-x64\.tar\.gz$")]
    private static partial Regex ArchiveVersion();
}
