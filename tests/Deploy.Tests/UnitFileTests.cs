using System.Diagnostics;
using P2PCluster.Hosting;
using P2PCluster.TestSupport;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// deploy/systemd's units pass <c>systemd-analyze verify</c> and carry the hardening, paths and limits docs/deploy.md
/// promises. verify checks that ExecStart's program exists and is executable, so the test verifies copies whose
/// <c>/opt/p2pcluster/</c> is replaced by a temporary prefix holding executable stand-ins; nothing else is changed
/// (systemd 252, Debian 12's, does not check that User= exists). On a real install the shipped files verify as they are.
/// </summary>
public sealed class UnitFileTests
{
    public static TheoryData<string> Units => [.. UnitFile.Names];

    [Fact]
    public async Task EveryUnitPassesSystemdAnalyzeVerify()
    {
        using var prefix = new TemporaryUnits();
        var (exitCode, output) = await prefix.VerifyAsync(UnitFile.Names.Select(prefix.Install));
        // verify exits 0 on many problems it only warns about (an unknown value is "ignoring"): any output is a failure.
        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task VerifyReportsABrokenUnitSoTheCheckAboveMeansSomething()
    {
        using var prefix = new TemporaryUnits();
        string unit = prefix.Install("p2p-coordinator.service", text => text.Replace("ProtectSystem=strict", "ProtectSystem=stricter"));
        var (_, output) = await prefix.VerifyAsync([unit]);
        Assert.Contains("protect system value", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void RunsAsRathenaNotifiesAndIsHardened(string name)
    {
        var unit = UnitFile.Read(name);
        Assert.Equal("notify", unit.Value("Type"));
        Assert.Equal("rathena", unit.Value("User"));
        Assert.Equal("always", unit.Value("Restart"));
        Assert.Equal("yes", unit.Value("NoNewPrivileges"));
        Assert.Equal("strict", unit.Value("ProtectSystem"));
        Assert.Equal("yes", unit.Value("ProtectHome"));
        Assert.Equal("yes", unit.Value("PrivateTmp"));
        Assert.Equal("", unit.Value("CapabilityBoundingSet"));
        Assert.Equal(["/var/lib/p2pcluster", "/var/log/rathena/p2p"], unit.Value("ReadWritePaths").Split(' '));
        Assert.Equal("/var/lib/p2pcluster", unit.Value("WorkingDirectory"));
        // The configuration is read once at start: a reload command would promise what the programs do not do.
        Assert.Empty(unit.Values("ExecReload"));
    }

    [Theory]
    [InlineData("p2p-coordinator.service", "p2p-coordinator", "p2p.conf")]
    [InlineData("p2p-gateway.service", "p2p-gateway", "p2p.conf")]
    [InlineData("p2p-host-agent.service", "p2p-host-agent", "host_node.conf")]
    public void StartsTheReleaseProgramWithItsConfigurationInEtc(string name, string program, string conf)
    {
        Assert.Equal($"/opt/p2pcluster/bin/{program} --config /etc/rathena/p2p/{conf}", UnitFile.Read(name).Value("ExecStart"));
    }

    [Theory]
    [InlineData("p2p-coordinator.service")]
    [InlineData("p2p-gateway.service")]
    public void OpenFilesCoverTheShippedMaxConnections(string name)
    {
        // Each connection is a descriptor; the silo's own (database pool, silo links, http, logs) come on top.
        var settings = CoordinatorSettings.Load(Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf"));
        int limit = int.Parse(UnitFile.Read(name).Value("LimitNOFILE"));
        Assert.True(limit >= settings.Coordinator.MaxConnections + 1000,
            $"{name}: LimitNOFILE={limit} is below coordinator.max_connections ({settings.Coordinator.MaxConnections}) + 1000");
    }

    [Fact]
    public void OpenFilesCoverTheAgentsLargestPlayerCount()
    {
        // node.max_players may be raised to 65535 without touching the unit.
        int limit = int.Parse(UnitFile.Read("p2p-host-agent.service").Value("LimitNOFILE"));
        Assert.True(limit > ushort.MaxValue, $"p2p-host-agent.service: LimitNOFILE={limit} is below node.max_players' maximum ({ushort.MaxValue})");
    }

    /// <summary>Copies of the units under a temporary prefix with executable stand-ins for the programs.</summary>
    private sealed class TemporaryUnits : IDisposable
    {
        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("p2p-units-");

        public TemporaryUnits()
        {
            string bin = Path.Combine(_root.FullName, "opt", "p2pcluster", "bin");
            Directory.CreateDirectory(bin);
            Directory.CreateDirectory(Path.Combine(_root.FullName, "units"));
            foreach (string program in new[] { "p2p-coordinator", "p2p-gateway", "p2p-host-agent" })
            {
                string path = Path.Combine(bin, program);
                File.WriteAllText(path, "#!/bin/sh\n");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        /// <summary>Writes the shipped unit with <c>/opt/p2pcluster/</c> moved under this prefix (then <paramref name="edit"/>); returns its path.</summary>
        public string Install(string name) => Install(name, text => text);

        public string Install(string name, Func<string, string> edit)
        {
            string text = File.ReadAllText(Path.Combine(UnitFile.Folder, name)).Replace("/opt/p2pcluster/", $"{_root.FullName}/opt/p2pcluster/");
            string path = Path.Combine(_root.FullName, "units", name);
            File.WriteAllText(path, edit(text));
            return path;
        }

        public async Task<(int ExitCode, string Output)> VerifyAsync(IEnumerable<string> units)
        {
            var info = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("verify");
            foreach (string unit in units) info.ArgumentList.Add(unit);
            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("systemd-analyze is missing: install Debian's systemd (scripts/test.sh does)", e);
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await process.WaitForExitAsync(deadline.Token);
                return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
            }
        }

        public void Dispose() => _root.Delete(recursive: true);
    }
}
