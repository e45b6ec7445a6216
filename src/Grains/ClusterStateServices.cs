using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>The per-silo services the cluster-state and distribution metrics need.</summary>
public static class ClusterStateServices
{
    /// <summary>Adds <see cref="ClusterTallies"/>, <see cref="DistributionMetrics"/>, <see cref="ClusterGauges"/> and <see cref="DatabaseWatch"/>.</summary>
    public static IServiceCollection AddP2PClusterState(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ClusterTallies>();
        services.TryAddSingleton<DistributionMetrics>();
        services.TryAddSingleton<ClusterGauges>();
        services.TryAddSingleton(sp => new DatabaseWatch(sp.GetService<IDatabaseProbe>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
