

using Orleans.Runtime;

namespace P2PCluster.Gateway;

/// <summary>Logs the cluster's silos once connected, so an operator sees the gateway found its cluster.</summary>
public sealed partial class ClusterWatcher(IClusterClient client, ILogger<ClusterWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var silos = await management.GetHosts(onlyActive: true);
        LogConnected(logger, silos.Count, string.Join(", ", silos.Keys));
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Connected to the cluster: {Count} active silo(s): {Silos}")]
    private static partial void LogConnected(ILogger logger, int count, string silos);
}
