using System.Diagnostics;
using System.IO.Compression;
using P2PCluster.Hosting;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// <c>p2p-host-agent</c> as a real process with <c>logging.file</c>, rotated by Debian's logrotate running the shipped
/// deploy/logrotate/p2p-system; and SIGUSR1 without a file, which must not stop it.
/// </summary>
public sealed class AgentLogFileTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string SomeKey = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="; // docs/protocol.md §8 test key
    private const string Reopened = "SIGUSR1: reopened the log file";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-logrotate-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static ProgramProcess StartAgent(string? logFile)
    {
        var environment = new Dictionary<string, string>
        {
            ["P2P_coordinator__public_key"] = SomeKey,
            ["P2P_coordinator__endpoints"] = $"127.0.0.1:{FreePort.Next()}", // nobody there: the agent keeps retrying
        };
        if (logFile is not null) environment["P2P_logging__file"] = logFile;
        return ProgramProcess.Start("HostAgent", [], environment);
    }

    [Fact]
    public async Task ShippedLogrotateConfigurationRotatesAndTheAgentReopensItsFile()
    {
        string logs = Directory.CreateDirectory(Path.Combine(_dir.FullName, "logs")).FullName;
        string log = Path.Combine(logs, "host-agent.log");
        await using var agent = StartAgent(log);
        await agent.WaitForLineAsync("Host agent ", Timeout);
        await Eventually.HoldsAsync(() => ReadShared(log).Contains("Host agent "), Timeout, () => ReadShared(log));

        // The shipped file, with two rewrites: its folder becomes the test's, and "create" loses its owner (no user
        // rathena here). Its postrotate runs unchanged against a fake systemctl first on PATH, for which only
        // p2p-host-agent.service is active and whose "kill" signals this agent.
        string shipped = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "logrotate", "p2p-system"));
        Assert.Contains("/var/log/rathena/p2p/*.log {", shipped);
        Assert.Contains("create 0640 rathena rathena", shipped);
        string config = Path.Combine(_dir.FullName, "p2p-system");
        File.WriteAllText(config, shipped.Replace("/var/log/rathena/p2p/*.log {", $"{logs}/*.log {{").Replace("create 0640 rathena rathena", "create 0640"));
        string calls = Path.Combine(_dir.FullName, "systemctl.calls");
        string bin = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "systemctl"), $"""
            #!/bin/sh
            echo "$*" >> '{calls}'
            case "$*" in
              "is-active --quiet p2p-host-agent.service") exit 0 ;;
              "is-active --quiet "*) exit 3 ;;
              "kill --kill-whom=main --signal=USR1 p2p-host-agent.service") exec kill -USR1 {agent.Id} ;;
              *) echo "unexpected: systemctl $*" >&2; exit 1 ;;
            esac
            """);
        File.SetUnixFileMode(Path.Combine(bin, "systemctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await RunLogrotateAsync(config, bin);
        await agent.WaitForLineAsync(Reopened, Timeout);
        await Eventually.HoldsAsync(() => ReadShared(log).Contains(Reopened), Timeout, () => ReadShared(log));
        Assert.Equal(
            ["is-active --quiet p2p-coordinator.service", "is-active --quiet p2p-gateway.service", "is-active --quiet p2p-host-agent.service",
                "kill --kill-whom=main --signal=USR1 p2p-host-agent.service"],
            File.ReadAllLines(calls));
        string rotated = ReadShared(log + ".1");
        Assert.Contains("Host agent ", rotated);
        Assert.DoesNotContain(Reopened, rotated);
        Assert.DoesNotContain("Host agent ", ReadShared(log));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(log));

        // The next day: delaycompress compresses yesterday's file now; the agent reopens again.
        await RunLogrotateAsync(config, bin);
        await Eventually.HoldsAsync(() => CountOf(agent.Output, Reopened) == 2, Timeout, () => agent.Output);
        await Eventually.HoldsAsync(() => ReadShared(log).Contains(Reopened), Timeout, () => ReadShared(log));
        await using (var gz = new GZipStream(File.OpenRead(log + ".2.gz"), CompressionMode.Decompress))
            Assert.Contains("Host agent ", await new StreamReader(gz).ReadToEndAsync());
        Assert.Contains(Reopened, ReadShared(log + ".1"));

        agent.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        output.WriteLine(agent.Output);
    }

    [Fact]
    public async Task SigUsr1WithoutALogFileDoesNotStopTheAgent()
    {
        await using var agent = StartAgent(logFile: null);
        await agent.WaitForLineAsync("Host agent ", Timeout);
        agent.Signal(LogFileReopener.SigUsr1!.Value);
        await agent.WaitForLineAsync("SIGUSR1: no log file to reopen (logging.file is empty)", Timeout);
        agent.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout)); // USR1's default action would have ended it with 138
    }

    [Fact]
    public async Task ALogFileThatCannotBeOpenedExitsTwoNamingTheKey()
    {
        string notAFolder = Path.Combine(_dir.FullName, "plain-file");
        File.WriteAllText(notAFolder, "");
        await using var agent = await ProgramProcess.RunAsync("HostAgent", [], new Dictionary<string, string>
        {
            ["P2P_coordinator__public_key"] = SomeKey,
            ["P2P_logging__file"] = Path.Combine(notAFolder, "host-agent.log"),
        }, Timeout);
        Assert.Equal(ExitCodes.BadConfiguration, agent.ExitCode);
        Assert.Contains($"logging.file: cannot open '{Path.Combine(notAFolder, "host-agent.log")}' for appending: ", agent.Output);
    }

    private async Task RunLogrotateAsync(string config, string bin)
    {
        string exe = File.Exists("/usr/sbin/logrotate") ? "/usr/sbin/logrotate" : "logrotate";
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["-f", "-v", "-s", Path.Combine(_dir.FullName, "logrotate.state"), config])
            info.ArgumentList.Add(argument);
        info.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        using var logrotate = Process.Start(info)
            ?? throw new InvalidOperationException("logrotate did not start: scripts/test.sh installs it (Debian package logrotate)");
        var stdout = logrotate.StandardOutput.ReadToEndAsync();
        var stderr = logrotate.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await logrotate.WaitForExitAsync(cts.Token);
        string said = await stdout + await stderr;
        output.WriteLine(said);
        Assert.True(logrotate.ExitCode == 0, $"logrotate exited with {logrotate.ExitCode}:\n{said}");
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
