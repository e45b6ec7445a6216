using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace P2PCluster.Hosting;

/// <summary>
/// The <see cref="LogFile"/> writer's own logger: formats straight into the file it currently writes, bypassing the
/// queue (which may be full, the very thing it reports). Used only on the writer's task.
/// </summary>
internal sealed class DirectLogWriter(ConsoleFormatter formatter, Func<TextWriter> target) : ILogger
{
    private const string Category = "P2PCluster.Hosting.LogFile";

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format)
    {
        try
        {
            formatter.Write(new LogEntry<TState>(logLevel, Category, eventId, state, exception, format), null, target());
        }
        catch (IOException)
        {
            // The disk refuses even this line; LogFile.Flush reports the failure on the console.
        }
    }
}
