using System.Diagnostics;
using System.Runtime.InteropServices;
using P2PCluster.HostAgent.Maps;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>What differs between Linux and Windows in supervising a map command, and that the instance goes through it.</summary>
public sealed class ChildProcessGuardTests(ITestOutputHelper output)
{
    private readonly LogCollector _log = new(output);

    [Fact]
    public void LinuxSignalsTheProcessTree()
    {
        Assert.Same(PosixProcessGuard.Instance, ChildProcessGuards.ForThisSystem());
        Assert.Throws<PlatformNotSupportedException>(() => WindowsJobProcessGuard.Shared);
    }

    [Fact]
    public async Task AProgramOutlivesTheThreadThatAskedForIt()
    {
        // The parent-death signal follows the thread that forked; a thread-pool thread that retires must not take the map down.
        Assert.NotNull(PosixProcessGuard.Instance.Setpriv);
        using var process = new Process { StartInfo = new ProcessStartInfo("sleep") { ArgumentList = { "60" } } };
        string tid = "";
        var thread = new Thread(() =>
        {
            tid = File.ReadAllText("/proc/thread-self/stat").Split(' ')[0];
            PosixProcessGuard.Instance.Start(process);
        });
        thread.Start();
        thread.Join();
        try
        {
            // The kernel sends the parent-death signal as the forking thread exits: wait until it has, then a moment for a SIGKILL to land.
            await Eventually.HoldsAsync(() => !Directory.Exists($"/proc/self/task/{tid}"), TimeSpan.FromSeconds(5), () => $"thread {tid} still exists");
            Assert.False(process.WaitForExit(TimeSpan.FromMilliseconds(200)), "the program died with the thread that started it");
            Assert.Equal(["--pdeathsig", "KILL", "--"], process.StartInfo.ArgumentList.Take(3));
            Assert.EndsWith("/sleep", process.StartInfo.ArgumentList[3]);
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public void JobLimitsKillEveryMemberWhenTheAgentGoes()
    {
        // JOBOBJECT_EXTENDED_LIMIT_INFORMATION is 144 bytes on 64-bit Windows; a wrong layout makes SetInformationJobObject fail.
        Assert.Equal(144, Marshal.SizeOf<WindowsJobProcessGuard.ExtendedLimitInformation>());
        Assert.Equal(0x2000u, WindowsJobProcessGuard.Limits().Basic.LimitFlags); // JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        Assert.Equal(9, WindowsJobProcessGuard.ExtendedLimitInformationClass); // JobObjectExtendedLimitInformation
    }

    [Fact]
    public async Task EveryProgramIsStartedAndStoppedThroughTheGuard()
    {
        var guard = new RecordingGuard();
        var instance = new ExternalMapInstance("prontera", 6200, () => ["/bin/sh", "-c", "sleep 60"], TimeSpan.FromMilliseconds(50),
            _log.For<ExternalMapInstance>(), guard: guard);
        await instance.StartAsync(CancellationToken.None);
        int pid = instance.ProcessId!.Value;
        Assert.Equal([pid], guard.Started);

        await instance.StopAsync();
        Assert.Equal([pid], guard.StopRequested);
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    [Fact]
    public async Task AProgramThatCannotBeTiedToTheAgentDoesNotRun()
    {
        var guard = new RecordingGuard { Refuse = true };
        var instance = new ExternalMapInstance("prontera", 6200, () => ["/bin/sh", "-c", "sleep 60"], TimeSpan.FromMilliseconds(50),
            _log.For<ExternalMapInstance>(), guard: guard);
        var e = await Assert.ThrowsAsync<MapStartException>(() => instance.StartAsync(CancellationToken.None));
        Assert.Equal("cannot put the program in the job", e.Message);
        int pid = Assert.Single(guard.Started);
        await Eventually.HoldsAsync(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(5), () => $"pid {pid} still runs");
    }

    private sealed class RecordingGuard : IChildProcessGuard
    {
        public List<int> Started { get; } = [];
        public List<int> StopRequested { get; } = [];
        public bool Refuse { get; init; }

        public void Start(Process process)
        {
            PosixProcessGuard.Instance.Start(process);
            Started.Add(process.Id);
            if (!Refuse) return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new MapStartException("cannot put the program in the job");
        }

        public void RequestStop(Process process)
        {
            StopRequested.Add(process.Id);
            PosixProcessGuard.Instance.RequestStop(process);
        }
    }
}
