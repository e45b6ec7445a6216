using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace P2PCluster.Hosting.Tests;

/// <summary>The file logger as the daemons set it up (<see cref="LoggingSetup"/>), on real files and a real pipe.</summary>
public sealed partial class LogFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-logfile-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string LogPath => Path.Combine(_dir.FullName, "p2p", "silo.log");

    private static ServiceProvider Build(LoggingSettings settings)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddP2PLogging(settings));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void JsonLinesParseAsJsonOneEntryEach()
    {
        using (var services = Build(new LoggingSettings { FilePath = LogPath, Format = LogFormat.Json, ConsoleEnabled = false }))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("P2PCluster.Test");
            for (int i = 0; i < 500; i++) LogSequence(logger, i, "a \"quoted\"\nmulti-line value");
            LogFailure(logger, new InvalidOperationException("first line\nsecond line"));
        } // disposing the container writes out every queued line

        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(501, lines.Length);
        for (int i = 0; i < 500; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(9001, root.GetProperty("EventId").GetInt32());
            Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
            Assert.Equal("P2PCluster.Test", root.GetProperty("Category").GetString());
            Assert.Equal($"line {i}: a \"quoted\"\nmulti-line value", root.GetProperty("Message").GetString());
            Assert.Equal(i, root.GetProperty("State").GetProperty("Sequence").GetInt32());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("Timestamp").GetString());
        }
        using var failure = JsonDocument.Parse(lines[500]);
        Assert.Contains("second line", failure.RootElement.GetProperty("Exception").GetString());
    }

    [Fact]
    public void TextIsOneDatedLinePerEntryWithoutColours()
    {
        using (var services = Build(new LoggingSettings { FilePath = LogPath }))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("P2PCluster.Test");
            LogSequence(logger, 1, "two\nlines");
            LogFailure(logger, new InvalidOperationException("first line\nsecond line"));
            logger.LogDebug("below the level: not written");
        }

        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info: P2PCluster\.Test\[9001\] line 1: two lines$", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} fail: P2PCluster\.Test\[9002\] it failed System\.InvalidOperationException: first line second line", lines[1]);
        Assert.DoesNotContain('\u001b', File.ReadAllText(LogPath));
    }

    [Fact]
    public async Task ReopenBetweenWritesLosesAndSplitsNoLine()
    {
        const int Writers = 4, PerWriter = 2000;
        var renamed = new List<string>();
        using (var services = Build(new LoggingSettings { FilePath = LogPath, Format = LogFormat.Json, ConsoleEnabled = false }))
        {
            var file = services.GetRequiredService<LogFile>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("P2PCluster.Test");
            using var go = new Barrier(Writers + 1);
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
            {
                go.SignalAndWait();
                for (int i = 0; i < PerWriter; i++) LogSequence(logger, w * PerWriter + i, "x");
            })).ToArray();
            go.SignalAndWait();
            // Rotate as logrotate does while the writers run: rename, then ask for the reopen.
            for (int r = 1; r <= 5; r++)
            {
                string target = $"{LogPath}.{r}";
                File.Move(LogPath, target);
                renamed.Add(target);
                file.Reopen();
                WaitUntil(() => File.Exists(LogPath), "the reopen to create a new file of the original name");
            }
            await Task.WhenAll(writers);
            for (int i = 0; i < 100; i++) LogSequence(logger, Writers * PerWriter + i, "after the last reopen");
            Assert.Equal(0, file.Dropped);
        }

        var seen = new List<int>();
        foreach (string path in renamed.Append(LogPath))
        {
            foreach (string line in File.ReadAllLines(path))
            {
                using var json = JsonDocument.Parse(line); // a split line would not parse
                seen.Add(json.RootElement.GetProperty("State").GetProperty("Sequence").GetInt32());
            }
        }
        Assert.Equal(Enumerable.Range(0, Writers * PerWriter + 100), seen.Order());
        Assert.Contains("after the last reopen", File.ReadAllLines(LogPath).Last());
    }

    [Fact]
    public void AFailedReopenKeepsWritingToTheOpenFileAndSaysWhy()
    {
        string folder = Path.GetDirectoryName(LogPath)!;
        using (var services = Build(new LoggingSettings { FilePath = LogPath, ConsoleEnabled = false }))
        {
            var file = services.GetRequiredService<LogFile>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("P2PCluster.Test");
            LogSequence(logger, 1, "before");
            Directory.Move(folder, folder + ".old");
            File.WriteAllText(folder, "a file where the log folder was: the folder cannot be created again");
            file.Reopen();
            LogSequence(logger, 2, "after");
        }

        string[] lines = File.ReadAllLines(Path.Combine(folder + ".old", "silo.log"));
        Assert.Equal(3, lines.Length);
        // The failure is written at once; "before" may still have been queued then.
        string failure = Assert.Single(lines, l => l.Contains("[1701]"));
        Assert.Contains($"fail: P2PCluster.Hosting.LogFile[1701] Could not reopen the log file {LogPath} (", failure);
        Assert.Contains("still writing to the file opened before", failure);
        Assert.Equal(["line 1: before", "line 2: after"], lines.Where(l => l != failure).Select(l => l[(l.IndexOf("] ") + 2)..]));
    }

    [Fact]
    public async Task AFullQueueDropsLinesWithoutWaitingAndCountsThemInTheFile()
    {
        // A FIFO nobody reads stands for a stuck disk: once the pipe is full the writer blocks, so the queue fills.
        string fifo = Path.Combine(_dir.FullName, "stuck.log");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var readerOpened = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Read));
        using var services = Build(new LoggingSettings()); // for the framework's formatters
        var formatter = services.GetServices<ConsoleFormatter>().First(f => f.Name == ConsoleFormatterNames.Simple);
        var file = new LogFile(fifo, formatter, capacity: 10);
        await using var reader = await readerOpened;

        const int Lines = 2000;
        var logger = new FileLogger("P2PCluster.Test", file);
        string padding = new('x', 1000);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Lines; i++) LogSequence(logger, i, padding);
        var elapsed = clock.Elapsed;
        Assert.True(file.Dropped > 0, "2 MB through a 64 KB pipe nobody reads must overflow a 10-line queue");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"logging waited for the file: {elapsed}");

        var reading = Task.Run(() => new StreamReader(reader).ReadToEnd());
        file.Dispose();
        string[] written = (await reading).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reports = written.Where(l => l.Contains("[1700]")).ToList();
        Assert.NotEmpty(reports);
        long reported = reports.Sum(l => long.Parse(DroppedCount().Match(l).Groups[1].Value));
        Assert.Equal(file.Dropped, reported);
        Assert.Equal(Lines, written.Length - reports.Count + file.Dropped);
        Assert.Contains("were waiting to be written to this file", reports[0]);
    }

    [Fact]
    public void ADiskThatRefusesWritesCostsLinesNotTheCaller()
    {
        using var services = Build(new LoggingSettings());
        var formatter = services.GetServices<ConsoleFormatter>().First(f => f.Name == ConsoleFormatterNames.Simple);
        var file = new LogFile("/dev/full", formatter); // every write: ENOSPC, as on a full disk
        var logger = new FileLogger("P2PCluster.Test", file);
        for (int i = 0; i < 1000; i++) LogSequence(logger, i, "lost");
        file.Dispose();
        Assert.Equal(1000, file.Dropped);
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"waited 10 s for {what}");
            Thread.Yield();
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "line {Sequence}: {Text}")]
    private static partial void LogSequence(ILogger logger, int sequence, string text);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "it failed")]
    private static partial void LogFailure(ILogger logger, Exception exception);

    [GeneratedRegex(@"\] (\d+) log line\(s\) dropped here")]
    private static partial Regex DroppedCount();
}
