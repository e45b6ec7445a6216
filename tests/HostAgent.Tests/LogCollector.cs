using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>Keeps every log line written through it (and echoes them to the test output) so a test can assert what the agent said.</summary>
public sealed class LogCollector(ITestOutputHelper? output = null) : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public string Text => string.Join("\n", Lines.Select(l => $"{l.Level}: {l.Message}"));

    public ILoggerFactory Factory => LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    public ILogger<T> For<T>() => Factory.CreateLogger<T>();

    public int Count(string text) => Lines.Count(l => l.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string message)
    {
        lock (_lines) _lines.Add((level, message));
        try
        {
            output?.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {level}: {message}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a background loop logged late.
        }
    }

    private sealed class Logger(LogCollector collector) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            collector.Add(logLevel, formatter(state, exception));
    }
}
