using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace P2PCluster.Grains.Tests;

/// <summary>A logger that keeps the event ids it was given, for tests that check which events a class logs.</summary>
public sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<int> Events { get; } = new();

    public int Count(int eventId) => Events.Count(e => e == eventId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue(eventId.Id);
}
