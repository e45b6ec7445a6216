using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>Wakes <see cref="IAlertGrain"/> once this silo is up (every silo does; idempotent), which starts evaluation and registers its reminder.</summary>
public sealed partial class AlertStarter(IOptions<AlertOptions> options, IGrainFactory grains, IHostApplicationLifetime lifetime, TimeProvider time,
    ILogger<AlertStarter> logger) : BackgroundService
{
    private const int MaxAttempts = 60;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        for (int attempt = 1; attempt <= MaxAttempts && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<IAlertGrain>(0).EnsureRunningAsync();
                return;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                if (attempt == MaxAttempts) LogNotStarted(logger, e.Message);
                else await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Alerts: could not wake the alert grain ({Reason}); its reminder will")]
    private static partial void LogNotStarted(ILogger logger, string reason);
}
