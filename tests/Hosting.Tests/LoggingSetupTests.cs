using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace P2PCluster.Hosting.Tests;

/// <summary>Which console format and which providers <see cref="LoggingSetup.AddP2PLogging(ILoggingBuilder, LoggingSettings)"/> chooses.</summary>
public sealed class LoggingSetupTests
{
    private static ServiceProvider Build(LoggingSettings settings, bool underSystemd = false)
    {
        var services = new ServiceCollection();
        // What UseSystemd/AddSystemd configure when the process runs under systemd.
        if (underSystemd) services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
        services.AddLogging(logging => logging.AddP2PLogging(settings));
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(LogFormat.Text, false, ConsoleFormatterNames.Simple)]
    [InlineData(LogFormat.Text, true, ConsoleFormatterNames.Systemd)]
    [InlineData(LogFormat.Json, false, ConsoleFormatterNames.Json)]
    [InlineData(LogFormat.Json, true, ConsoleFormatterNames.Json)]
    public void ConsoleFormatIsTheConfiguredOneAndJournaldsUnderSystemd(LogFormat format, bool underSystemd, string formatter)
    {
        using var services = Build(new LoggingSettings { ConsoleFormat = format }, underSystemd);
        Assert.Equal(formatter, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    [Fact]
    public void WithoutAFileThereIsNoFileProviderButTheSignalIsHandled()
    {
        using var services = Build(new LoggingSettings());
        Assert.DoesNotContain(services.GetServices<ILoggerProvider>(), p => p is FileLoggerProvider);
        Assert.Contains(services.GetServices<IHostedService>(), s => s is LogFileReopener);
    }

    [Fact]
    public void LevelAppliesToOurCategoriesAndOrleansStaysAtWarning()
    {
        using var services = Build(new LoggingSettings { Level = LogLevel.Debug });
        var factory = services.GetRequiredService<ILoggerFactory>();
        Assert.True(factory.CreateLogger("P2PCluster.Gateway.GatewaySession").IsEnabled(LogLevel.Debug));
        Assert.False(factory.CreateLogger("Orleans.Runtime.Silo").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Orleans.Runtime.Silo").IsEnabled(LogLevel.Warning));

        using var quiet = Build(new LoggingSettings { Level = LogLevel.Error });
        Assert.False(quiet.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Runtime.Silo").IsEnabled(LogLevel.Warning));
        Assert.False(quiet.GetRequiredService<ILoggerFactory>().CreateLogger("P2PCluster.Silo").IsEnabled(LogLevel.Warning));
    }
}
