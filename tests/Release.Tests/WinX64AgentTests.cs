using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Release.Tests;

/// <summary>
/// The published win-x64 agent: a 64-bit Windows console executable on every build, and under wine (when installed)
/// it prints its help, checks a configuration, refuses a key file others may read, and runs: creates its key under
/// C:\ProgramData\P2PCluster with its ACL, samples the machine through the Windows APIs and serves /metrics.
/// </summary>
[Collection(ReleaseCollection.Name)]
public sealed class WinX64AgentTests(ReleaseArchives release, WinePrefix prefix, ITestOutputHelper output) : IClassFixture<WinePrefix>
{
    /// <summary>The agent exactly as the win-x64 archive ships it.</summary>
    private string Agent => Path.Combine(release.WindowsRoot, "p2p-host-agent.exe");

    private const string HexKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private readonly Wine _wine = prefix.Wine;

    [Fact]
    public void PublishedAgentIsA64BitWindowsConsoleExecutable()
    {
        output.WriteLine($"released in {release.PublishTime.TotalSeconds:F0} s: {new FileInfo(Agent).Length / 1_000_000} MB");
        byte[] image = File.ReadAllBytes(Agent);
        Assert.Equal("MZ"u8.ToArray(), image[..2]);
        int pe = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(0x3C));
        Assert.Equal("PE\0\0"u8.ToArray(), image[pe..(pe + 4)]);
        Assert.Equal(0x8664, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(pe + 4))); // IMAGE_FILE_MACHINE_AMD64
        int optional = pe + 24;
        Assert.Equal(0x20B, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(optional))); // PE32+
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(optional + 68))); // IMAGE_SUBSYSTEM_WINDOWS_CUI
        // Self-contained: the runtime is inside, nothing else to install on the player's PC.
        Assert.True(image.Length > 30_000_000, $"{image.Length} bytes: not self-contained?");
    }

    [WineFact]
    public async Task HelpNamesTheProgramDataConfiguration()
    {
        var (code, text) = await _wine.RunAsync(Agent, "--help");
        output.WriteLine(text);
        Assert.Equal(0, code);
        Assert.Contains("--check-config", text);
        Assert.Contains(@"C:\ProgramData\P2PCluster\host_node.conf", text);
    }

    [WineFact]
    public async Task CheckConfigResolvesFilesUnderProgramDataAndNamesABadKey()
    {
        string dir = Directory.CreateTempSubdirectory("p2p-wine-conf-").FullName;
        try
        {
            string good = Path.Combine(dir, "good.conf");
            File.WriteAllText(good, $"coordinator:\n  public_key: \"{HexKey}\"\n");
            var (code, text) = await _wine.RunAsync(Agent, "--config", Wine.WindowsPath(good), "--check-config");
            output.WriteLine(text);
            Assert.Equal(0, code);
            Assert.Contains(@"identity: key_file=C:\ProgramData\P2PCluster\data\host_ed25519.pem ", text);
            Assert.Contains("coordinator key: inline key", text);

            string bad = Path.Combine(dir, "bad.conf");
            File.WriteAllText(bad, "node:\n  max_maps: 0\n");
            (code, text) = await _wine.RunAsync(Agent, "--config", Wine.WindowsPath(bad), "--check-config");
            output.WriteLine(text);
            Assert.Equal(2, code);
            Assert.Contains("node.max_maps", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [WineFact]
    public async Task AgentRunsCreatesItsKeyAndMeasuresTheMachine()
    {
        string dir = Directory.CreateTempSubdirectory("p2p-wine-run-").FullName;
        int metricsPort = FreePort.Next();
        string conf = Path.Combine(dir, "host_node.conf");
        // No coordinator: the agent keeps redialling a closed port while it runs.
        File.WriteAllText(conf, $"coordinator:\n  public_key: \"{HexKey}\"\n  endpoints: \"127.0.0.1:{FreePort.Next()}\"\n"
            + $"metrics:\n  listen: \"127.0.0.1:{metricsPort}\"\n");
        var info = _wine.StartInfo(Agent, "--config", Wine.WindowsPath(conf));
        using var process = Process.Start(info)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            string? metrics = null;
            var deadline = Stopwatch.StartNew();
            // Real time must pass (wine starting the runtime): until the metric is measured or the agent exits, bounded by
            // the deadline; the assertions below say which.
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                return (metrics is not null && Gauge(metrics, "p2p_agent_memory_utilization_ratio") > 0) || process.HasExited;
            }, over => over, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
            string seen;
            lock (log) seen = log.ToString();
            output.WriteLine(seen);
            Assert.True(metrics is not null, $"no /metrics within {deadline.Elapsed}; agent said:\n{seen}");
            output.WriteLine($"/metrics answered after {deadline.Elapsed.TotalSeconds:F1} s");
            // GlobalMemoryStatusEx: a real share of the machine's memory in use.
            Assert.InRange(Gauge(metrics, "p2p_agent_memory_utilization_ratio"), 0.001, 1.0);
            Assert.InRange(Gauge(metrics, "p2p_agent_cpu_utilization_ratio"), 0.0, 1.0);
            Assert.Contains(@"Created host key C:\ProgramData\P2PCluster\data\host_ed25519.pem (ACL: this account, SYSTEM and Administrators only)", seen);
            Assert.True(File.Exists(Path.Combine(_wine.ProgramData, "P2PCluster", "data", "host_ed25519.pem")));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // The key it created passes its own ACL check on the next start.
        var (code, text) = await _wine.RunAsync(Agent, "--config", Wine.WindowsPath(conf), "--check-config");
        output.WriteLine(text);
        Assert.Equal(0, code);
        Assert.Matches(@"host key: C:\\ProgramData\\P2PCluster\\data\\host_ed25519\.pem \(host id h[0-9a-f]{20}\)", text);
        Directory.Delete(dir, recursive: true);
    }

    [WineFact, UnsupportedOSPlatform("windows")]
    public async Task KeyFileOthersMayReadIsRefusedNamingTheFile()
    {
        // Wine shows a file without a stored ACL with one made from its mode: 0644 lets Everyone read it.
        string dir = Directory.CreateTempSubdirectory("p2p-wine-key-").FullName;
        try
        {
            string key = Path.Combine(dir, "open.pem");
            File.WriteAllText(key, KeyFiles.PrivatePem(SigningIdentity.Generate()));
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            string conf = Path.Combine(dir, "host_node.conf");
            File.WriteAllText(conf, $"coordinator:\n  public_key: \"{HexKey}\"\nidentity:\n  key_file: '{Wine.WindowsPath(key)}'\n");

            var (code, text) = await _wine.RunAsync(Agent, "--config", Wine.WindowsPath(conf), "--check-config");
            output.WriteLine(text);
            Assert.Equal(2, code);
            Assert.Contains($"identity.key_file: cannot use '{Wine.WindowsPath(key)}': {Wine.WindowsPath(key)}: its ACL lets Everyone access this private key", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Gauge(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).First();
}
