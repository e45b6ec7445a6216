using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2PCluster.Grains.Alerts;

/// <summary>Registers the alert machinery of one silo: history (MariaDB or memory) and its outbox, the webhook queue, the starter.</summary>
public static class AlertServices
{
    public static IServiceCollection AddP2PAlerts(this IServiceCollection services, AlertOptions options)
    {
        services.AddSingleton(Options.Create(options));
        if (options.ConnectionString.Length > 0)
            services.AddSingleton<IAlertHistory>(new MariaDbAlertHistory(options.ConnectionString));
        else
            services.AddSingleton<IAlertHistory, InMemoryAlertHistory>();
        services.AddSingleton<IClusterSnapshotSource, ClusterStateSnapshotSource>();
        services.AddSingleton<AlertHistoryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertHistoryWriter>());
        services.AddHttpClient(WebhookDispatcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService<AlertStarter>();
        return services;
    }
}
