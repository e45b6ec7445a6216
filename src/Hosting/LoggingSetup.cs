using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace P2PCluster.Hosting;

/// <summary>The daemons' logging (<c>logging:</c>): console and optional file, text or JSON, with Orleans' chatter turned down to warnings.</summary>
public static class LoggingSetup
{
    /// <summary>Console only, text, information and up: for in-process helpers (p2p-demo's agents, inside the silo).</summary>
    public static ILoggingBuilder AddP2PLogging(this ILoggingBuilder logging) => logging.AddP2PLogging(new LoggingSettings(), reopenOnSignal: false);

    /// <summary>
    /// Everything <paramref name="settings"/> asks for, and the SIGUSR1 handler (<see cref="LogFileReopener"/>). Opens
    /// the file once to check it: a <see cref="ConfigurationException"/> naming <c>logging.file</c> if it cannot be.
    /// </summary>
    public static ILoggingBuilder AddP2PLogging(this ILoggingBuilder logging, LoggingSettings settings) =>
        logging.AddP2PLogging(settings, reopenOnSignal: true);

    private static ILoggingBuilder AddP2PLogging(this ILoggingBuilder logging, LoggingSettings settings, bool reopenOnSignal)
    {
        string? path = settings.HasFile ? LogFile.Check(settings.FilePath) : null;
        logging.ClearProviders();
        // Always added, also with console: false: the file takes its formatters from the console's registrations.
        logging.AddConsole();
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            // A file outlives the day: its lines carry the date. Colours (ANSI codes) would end up in it.
            o.TimestampFormat = path is null ? "HH:mm:ss.fff " : "yyyy'-'MM'-'dd HH':'mm':'ss'.'fff ";
            if (path is not null) o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
            o.UseUtcTimestamp = true;
        });
        // After UseSystemd's choice: under systemd, text is its journald format (priority prefixes, no time).
        logging.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName =
            settings.ConsoleFormat == LogFormat.Json ? ConsoleFormatterNames.Json
            : o.FormatterName == ConsoleFormatterNames.Systemd ? ConsoleFormatterNames.Systemd
            : ConsoleFormatterNames.Simple);
        if (!settings.ConsoleEnabled) logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.None);

        if (path is not null)
        {
            string formatterName = settings.Format == LogFormat.Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
            logging.Services.AddSingleton(sp => new LogFile(path, sp.GetServices<ConsoleFormatter>().First(f => f.Name == formatterName)));
            logging.Services.AddSingleton<ILoggerProvider, FileLoggerProvider>();
        }
        if (reopenOnSignal) logging.Services.AddHostedService<LogFileReopener>();

        logging.SetMinimumLevel(settings.Level);
        var quiet = settings.Level > LogLevel.Warning ? settings.Level : LogLevel.Warning;
        logging.AddFilter("Orleans", quiet);
        logging.AddFilter("Microsoft", quiet);
        logging.AddFilter("Polly", quiet);
        logging.AddFilter("Microsoft.Hosting.Lifetime", settings.Level > LogLevel.Information ? settings.Level : LogLevel.Information);
        return logging;
    }
}
