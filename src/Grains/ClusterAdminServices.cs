using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PCluster.Grains.Admin;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Grains;

/// <summary>Registers <see cref="ClusterAdmin"/>, the service behind the admin API.</summary>
public static class ClusterAdminServices
{
    /// <summary>
    /// Adds <see cref="IClusterAdmin"/> (singleton). Needs an <see cref="IGrainFactory"/> (the silo's, or a client's),
    /// the <see cref="Accounts.IAccountStore"/> and the <see cref="ClusterStateOptions"/> the silo already registers.
    /// </summary>
    public static IServiceCollection AddClusterAdmin(this IServiceCollection services)
    {
        services.AddOptions<ClusterStateOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HostViewCache>();
        services.TryAddSingleton<IClusterAdmin, ClusterAdmin>();
        return services;
    }
}
