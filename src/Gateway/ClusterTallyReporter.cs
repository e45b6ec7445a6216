using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>
/// Sends this process's <see cref="ClusterTallies"/> to the cluster-state grain every <c>monitoring.metrics_interval</c>
/// ms, empty or not: the report is also the pulse that re-activates that grain on a surviving silo after the one
/// hosting it died. A report that fails is merged back and goes out with the next; nothing here throws into a caller.
/// </summary>
public sealed partial class ClusterTallyReporter(
    ClusterTallies tallies,
    IGrainFactory grains,
    IOptions<MonitoringOptions> monitoring,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ClusterTallyReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(monitoring.Value.MetricsInterval), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await ReportAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // What was counted since the last tick, once, before this process goes; never holding up its shutdown.
            await ReportAsync().WaitAsync(FinalReportTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogReportFailed(logger, e.GetType().Name);
        }
    }

    private static readonly TimeSpan FinalReportTimeout = TimeSpan.FromSeconds(1);

    private async Task ReportAsync()
    {
        var tally = tallies.Drain(time.GetUtcNow());
        try
        {
            await grains.GetGrain<IClusterStateGrain>(0).ReportAsync(tally);
        }
        catch (Exception e)
        {
            tallies.Restore(tally);
            LogReportFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 3250, Level = LogLevel.Debug, Message = "Counts for the cluster state not delivered ({Error}); they go with the next report")]
    private static partial void LogReportFailed(ILogger logger, string error);
}

/// <summary>Registers <see cref="ClusterTallyReporter"/> and the process's <see cref="ClusterTallies"/>.</summary>
public static class ClusterTallyReporting
{
    public static IServiceCollection AddClusterTallyReporter(this IServiceCollection services)
    {
        services.TryAddSingleton<ClusterTallies>();
        services.AddHostedService<ClusterTallyReporter>();
        return services;
    }
}
