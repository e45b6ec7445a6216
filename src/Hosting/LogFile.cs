using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace P2PCluster.Hosting;

/// <summary>
/// A log file written by one background task: callers format their line on their own thread and hand it over through
/// a bounded queue, so logging never waits for the disk (a full queue drops the line and counts it; the count is
/// written to the file as soon as there is room). <see cref="Reopen"/> (SIGUSR1, after logrotate renamed the file)
/// switches to a new file of the same name between two lines; <see cref="Dispose"/> writes out every queued line.
/// </summary>
public sealed partial class LogFile : IDisposable
{
    public const int DefaultCapacity = 16_384;
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);
    private static readonly string Wake = new(['\n']); // a distinct instance: compared by reference, never written

    [ThreadStatic] private static StringWriter? t_buffer;

    private readonly ConsoleFormatter _formatter;
    private readonly int _capacity;
    private readonly Channel<string> _lines;
    private readonly DirectLogWriter _direct;
    private readonly Task _writerTask;
    private StreamWriter _writer;
    private int _reopenRequested;
    private long _droppedSinceReport;
    private long _dropped;
    private int _unflushed; // lines in the writer's buffer: lost if the disk refuses them
    private string? _writeError;
    private bool _failing;

    /// <summary>Opens (creates) <paramref name="path"/> for appending and starts the writer.</summary>
    public LogFile(string path, ConsoleFormatter formatter, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Path = System.IO.Path.GetFullPath(path);
        _formatter = formatter;
        _capacity = capacity;
        _writer = OpenWriter(Path);
        _direct = new DirectLogWriter(formatter, () => _writer);
        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of blocking the caller
        });
        _writerTask = Task.Run(RunAsync);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Lines lost since start: the queue was full, the disk refused them, or they came after <see cref="Dispose"/>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Checks at start-up that <paramref name="path"/> can be opened for appending (creating it and its folder) and
    /// returns its full path; a <see cref="ConfigurationException"/> naming <c>logging.file</c> otherwise.
    /// </summary>
    public static string Check(string path)
    {
        string full = path;
        try
        {
            full = System.IO.Path.GetFullPath(path);
            using var stream = OpenStream(full);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException([$"logging.file: cannot open '{full}' for appending: {e.Message}"]);
        }
    }

    /// <summary>Formats <paramref name="entry"/> on the calling thread and queues the line; never blocks.</summary>
    public void Write<TState>(in LogEntry<TState> entry)
    {
        var buffer = t_buffer ??= new StringWriter(CultureInfo.InvariantCulture);
        var builder = buffer.GetStringBuilder();
        builder.Clear();
        _formatter.Write(entry, null, buffer);
        if (builder.Length == 0) return;
        string line = builder.ToString();
        if (builder.Capacity > 64 * 1024) builder.Capacity = 1024; // one huge exception must not pin its buffer forever
        if (!_lines.Writer.TryWrite(line)) CountDropped(1);
    }

    /// <summary>
    /// Asks the writer to close the file and open <see cref="Path"/> again (appending; a new file if it was renamed),
    /// between two lines. Safe from any thread, a signal handler's included.
    /// </summary>
    public void Reopen()
    {
        Volatile.Write(ref _reopenRequested, 1);
        _lines.Writer.TryWrite(Wake); // wakes an idle writer; a full queue means it is busy and sees the flag anyway
    }

    /// <summary>Writes out every queued line (waiting at most 10 s for a stuck disk) and closes the file.</summary>
    public void Dispose()
    {
        if (!_lines.Writer.TryComplete()) return;
        if (!_writerTask.Wait(DisposeTimeout))
            Console.Error.WriteLine($"p2p: the log file {Path} was not written out within {DisposeTimeout.TotalSeconds} s; closing without it");
    }

    private async Task RunAsync()
    {
        var reader = _lines.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out string? line))
                {
                    if (Volatile.Read(ref _reopenRequested) != 0) ReopenNow();
                    if (!ReferenceEquals(line, Wake)) WriteLine(line);
                }
                if (Volatile.Read(ref _reopenRequested) != 0) ReopenNow();
                ReportDropped();
                Flush();
            }
            ReportDropped();
            Flush();
            try { _writer.Dispose(); }
            catch (IOException) { } // already reported by Flush
        }
        catch (Exception e)
        {
            // Not expected (I/O errors are handled above); the daemon must carry on, its console still logs.
            Console.Error.WriteLine($"p2p: the log file {Path} is no longer written: {e}");
        }
    }

    private void WriteLine(string line)
    {
        try
        {
            _writer.Write(line);
            _unflushed++;
        }
        catch (IOException e)
        {
            // The writer discards what it could not write: the buffered lines and this one.
            LostUnflushed(extra: 1, e);
        }
    }

    private void Flush()
    {
        try
        {
            _writer.Flush();
            _unflushed = 0;
        }
        catch (IOException e)
        {
            LostUnflushed(extra: 0, e);
        }
        // The file itself cannot say so: the console (journald) can, once when it starts and once when it ends.
        if (_writeError is { } error && !_failing)
            Console.Error.WriteLine($"p2p: cannot write the log file {Path}: {error}; lines are lost (and counted) until it works again");
        else if (_writeError is null && _failing)
            Console.Error.WriteLine($"p2p: writing the log file {Path} again");
        _failing = _writeError is not null;
        _writeError = null;
    }

    private void LostUnflushed(int extra, IOException e)
    {
        CountDropped(_unflushed + extra);
        _unflushed = 0;
        _writeError = e.Message;
    }

    private void ReopenNow()
    {
        Volatile.Write(ref _reopenRequested, 0);
        StreamWriter next;
        try
        {
            next = OpenWriter(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReopenFailed(_direct, Path, e.Message);
            return;
        }
        try
        {
            _writer.Dispose();
            _unflushed = 0;
        }
        catch (IOException e)
        {
            LostUnflushed(extra: 0, e);
        }
        _writer = next;
    }

    private void CountDropped(long count)
    {
        Interlocked.Add(ref _droppedSinceReport, count);
        Interlocked.Add(ref _dropped, count);
    }

    private void ReportDropped()
    {
        long count = Interlocked.Exchange(ref _droppedSinceReport, 0);
        if (count > 0) LogDropped(_direct, count, _capacity);
    }

    private static StreamWriter OpenWriter(string path) =>
        new(OpenStream(path), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);

    private static FileStream OpenStream(string path)
    {
        if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete, // tail -f, and logrotate renaming it under us
            BufferSize = 0, // the StreamWriter buffers; a second buffer would keep failed bytes and fail every write after
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        return new FileStream(path, options);
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning,
        Message = "{Count} log line(s) dropped here: more than {Capacity} were waiting to be written to this file")]
    private static partial void LogDropped(ILogger logger, long count, int capacity);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Error,
        Message = "Could not reopen the log file {Path} ({Reason}); still writing to the file opened before")]
    private static partial void LogReopenFailed(ILogger logger, string path, string reason);
}
