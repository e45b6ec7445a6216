using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Silo;

/// <summary>
/// Applies <c>maps:</c> from p2p.conf once the silo is up: each map's policy, then placement. Every silo does it;
/// both calls are idempotent, so a cluster converges whichever silo starts first.
/// </summary>
public sealed partial class MapCatalog(CoordinatorSettings settings, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<MapCatalog> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Maps.Count == 0) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        foreach (var (name, map) in settings.Maps)
        {
            var policy = new MapPolicy(map.Critical, map.P2PAllowed, map.MaxPlayers, map.MinScore);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var grain = grains.GetGrain<IMapGrain>(name);
                    await grain.SetPolicyAsync(policy);
                    await grain.EnsurePlacedAsync("configured");
                    break;
                }
                catch (ClusterException e)
                {
                    LogRejected(logger, name, e.Message);
                    break;
                }
                catch (Exception e) when (e is OrleansException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        LogApplied(logger, settings.Maps.Count);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Applied {Count} map(s) from maps: in the configuration")]
    private static partial void LogApplied(ILogger logger, int count);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Map {Map}: configured policy rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string map, string reason);
}
