using System.Diagnostics;
using P2PCluster.TestSupport;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// A temporary root laid out as docs/deploy.md installs a release: <c>opt/p2pcluster/bin</c> with the published
/// programs under their release names, <c>etc/rathena/p2p</c> with the shipped conf files, <c>var/lib/p2pcluster</c>
/// (the units' working directory) and <c>var/log/rathena/p2p</c>. Published once per test run (framework-dependent,
/// from the build the tests already made).
/// </summary>
public sealed class InstallPrefix : IAsyncLifetime
{
    /// <summary>Release name of each program and the project it is published from.</summary>
    public static readonly IReadOnlyDictionary<string, string> Programs = new Dictionary<string, string>
    {
        ["p2p-coordinator"] = "Silo",
        ["p2p-gateway"] = "Gateway",
        ["p2p-host-agent"] = "HostAgent",
    };

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("p2p-install-");

    public string Root => _root.FullName;
    public string Bin => Path.Combine(Root, "opt", "p2pcluster", "bin");
    public string Config => Path.Combine(Root, "etc", "rathena", "p2p");
    public string State => Path.Combine(Root, "var", "lib", "p2pcluster");
    public string Logs => Path.Combine(Root, "var", "log", "rathena", "p2p");

    /// <summary>How long publishing took (reported, so a slow machine shows where a test's time went).</summary>
    public TimeSpan PublishTime { get; private set; }

    public string Executable(string name) => Path.Combine(Bin, name);

    public async Task InitializeAsync()
    {
        foreach (string dir in new[] { Bin, Config, State, Logs }) Directory.CreateDirectory(dir);
        var started = Stopwatch.StartNew();
        // Each into a folder of its own (parallel publishes must not write one file at once), then merged: the
        // libraries they share come from one build, so whichever copy lands is the same file.
        string staging = Path.Combine(Root, "publish");
        await Task.WhenAll(Programs.Values.Distinct().Select(project => PublishAsync(project, Path.Combine(staging, project))));
        foreach (string file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(Bin, Path.GetRelativePath(Path.Combine(staging, Path.GetRelativePath(staging, file).Split(Path.DirectorySeparatorChar)[0]), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target)) File.Copy(file, target);
        }
        Directory.Delete(staging, recursive: true);
        PublishTime = started.Elapsed;
        foreach (var (name, project) in Programs)
        {
            // The release names its executables (scripts/publish.sh); a plain publish names the apphost after the assembly.
            string release = Executable(name);
            if (!File.Exists(release)) File.Copy(Path.Combine(Bin, $"P2PCluster.{project}"), release);
        }
        foreach (string conf in new[] { "p2p.conf", "host_node.conf" })
            File.Copy(Path.Combine(RepoPaths.Root, "conf", "p2p", conf), Path.Combine(Config, conf));
    }

    private static async Task PublishAsync(string project, string output)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "publish", Path.Combine(RepoPaths.Root, "src", project, $"{project}.csproj"),
                     "-c", RepoPaths.Configuration, "--no-build", "-o", output, "-nologo", "-v", "q" })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish src/{project} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
