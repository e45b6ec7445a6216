using Microsoft.Extensions.Logging;

namespace P2PCluster.Hosting;

/// <summary>Sends every category's entries to one <see cref="LogFile"/> (<c>logging.file</c>).</summary>
[ProviderAlias("File")]
public sealed class FileLoggerProvider(LogFile file) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName, file);

    /// <summary>Writes out the queued lines; the file is also the container's to dispose, which is then a no-op.</summary>
    public void Dispose() => file.Dispose();
}
