using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace P2PCluster.Hosting;

/// <summary>
/// SIGUSR1 reopens <c>logging.file</c> (logrotate's postrotate sends it after renaming the file). Registered whether
/// or not a file is configured: SIGUSR1's default action is to terminate, and a stray one must not stop a daemon.
/// Nothing on Windows, which has no SIGUSR1 (the file is not renamed under an open handle there).
/// </summary>
public sealed partial class LogFileReopener(ILogger<LogFileReopener> logger, LogFile? file = null) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    /// <summary>SIGUSR1's number: 10 on Linux, 30 on macOS and the BSDs; null where there is none.</summary>
    public static int? SigUsr1 =>
        OperatingSystem.IsLinux() ? 10
        : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 30
        : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (SigUsr1 is { } number) _registration = PosixSignalRegistration.Create((PosixSignal)number, OnSignal);
        return Task.CompletedTask;
    }

    // Kept until the host is disposed: a rotation during shutdown must not kill the process half-way.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // no default action (terminate)
        if (file is null)
        {
            LogNoFile(logger);
            return;
        }
        file.Reopen();
        LogReopening(logger, file.Path); // queued after the request: the first line in the new file, or close to it
    }

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "SIGUSR1: reopened the log file {Path}")]
    private static partial void LogReopening(ILogger logger, string path);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "SIGUSR1: no log file to reopen (logging.file is empty)")]
    private static partial void LogNoFile(ILogger logger);
}
