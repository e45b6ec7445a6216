using System.Diagnostics;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>Supervision of real child processes: restarts with backoff, SIGTERM then SIGKILL, output in the log.</summary>
public sealed class ExternalMapInstanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(50);
    private readonly LogCollector _log = new(output);

    private ExternalMapInstance Instance(string command, TimeSpan? stopGrace = null, TimeSpan? stableAfter = null)
    {
        Assert.True(CommandTemplate.TryParse(command, out var template, out _));
        return new ExternalMapInstance("prontera", 6200, () => template.Expand("prontera", 6200, 7, 10), Backoff,
            _log.For<ExternalMapInstance>(), stopGrace, stableAfter);
    }

    [Fact]
    public async Task CrashingCommandIsRestartedWithDoublingBackoffAndCounted()
    {
        var instance = Instance("/bin/sh -c 'echo serving {map} on {port} epoch {epoch}; echo oops >&2; exit 1'");
        await instance.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => instance.Restarts >= 4, TimeSpan.FromSeconds(10), () => $"{instance.Restarts} restarts\n{_log.Text}");
        await instance.StopAsync();

        int restarts = instance.Restarts;
        // 50, 100, 200, 400 … ms: the delay before restart n is the first delay doubled n − 1 times.
        Assert.Equal(Backoff * Math.Pow(2, restarts - 1), instance.LastRestartDelay);
        Assert.Equal(MapRunState.Stopped, instance.State);
        Assert.True(_log.Count("[prontera] serving prontera on 6200 epoch 7") >= 4, _log.Text);
        Assert.Contains(_log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message == "[prontera] oops");
        Assert.Contains("Map prontera command exited with code 1 after", _log.Text);
    }

    [Fact]
    public async Task BackoffStartsOverAfterAStableRun()
    {
        // Each run lasts longer than the (shortened) stable threshold, so no restart waits more than the first delay.
        var instance = Instance("/bin/sh -c 'sleep 0.25; exit 3'", stableAfter: TimeSpan.FromMilliseconds(150));
        await instance.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => instance.Restarts >= 3, TimeSpan.FromSeconds(10), () => $"{instance.Restarts} restarts\n{_log.Text}");
        await instance.StopAsync();
        Assert.Equal(Backoff, instance.LastRestartDelay);
        Assert.Contains("exited with code 3", _log.Text);
    }

    [Fact]
    public async Task StoppingEndsTheWholeProcessTreeAtOnce()
    {
        string pidFile = Path.GetTempFileName();
        try
        {
            // A wrapper shell whose child does the work, as a start script would.
            var instance = Instance($"/bin/sh -c 'sleep 60 & echo $! > {pidFile}; wait'");
            await instance.StartAsync(CancellationToken.None);
            int shell = instance.ProcessId!.Value;
            await Eventually.HoldsAsync(() => File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(5), () => "no pid written");
            int sleeper = int.Parse(File.ReadAllText(pidFile).Trim());

            var watch = Stopwatch.StartNew();
            await instance.StopAsync();
            output.WriteLine($"stopped in {watch.ElapsedMilliseconds} ms");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"stop took {watch.Elapsed}");
            Assert.False(Directory.Exists($"/proc/{shell}"), "the shell still runs");
            await Eventually.HoldsAsync(() => !IsAlive(sleeper), TimeSpan.FromSeconds(2), () => $"sleep {sleeper} still runs");
            Assert.Equal(0, instance.Restarts);
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task CommandIgnoringSigtermIsKilledAfterTheGrace()
    {
        var grace = TimeSpan.FromMilliseconds(500);
        var instance = Instance("/bin/sh -c \"trap '' TERM; echo ready; while :; do sleep 0.05; done\"", stopGrace: grace);
        await instance.StartAsync(CancellationToken.None);
        int pid = instance.ProcessId!.Value;
        await Eventually.HoldsAsync(() => _log.Count("[prontera] ready") == 1, TimeSpan.FromSeconds(5), () => _log.Text);

        var watch = Stopwatch.StartNew();
        await instance.StopAsync();
        Assert.InRange(watch.Elapsed, grace, grace + TimeSpan.FromSeconds(3));
        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.Contains($"pid {pid} ignored SIGTERM for 500 ms; killed", _log.Text);
    }

    [Fact]
    public async Task MissingProgramCannotStart()
    {
        var instance = Instance("/nonexistent/map-server --map {map}");
        var e = await Assert.ThrowsAsync<MapStartException>(() => instance.StartAsync(CancellationToken.None));
        Assert.Contains("/nonexistent/map-server", e.Message);
    }

    /// <summary>Alive and not a zombie waiting for its parent (the test runner) to reap it.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
