using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace P2PCluster.Hosting;

/// <summary>One category's logger into a <see cref="LogFile"/>; levels are filtered by the logger factory's rules.</summary>
public sealed class FileLogger(string category, LogFile file) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        file.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }
}
