using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Registers the gateway and the process's Kestrel listeners (gateway port and HTTP).</summary>
public static class GatewaySetup
{
    /// <summary>
    /// Adds the gateway's services; the key must already be loaded (so a bad key stops start-up, not a connection). It
    /// seeds the key set on a cluster's first start; the key set's active key is what the gateway signs with.
    /// </summary>
    public static IServiceCollection AddP2PGateway(this IServiceCollection services, SigningIdentity coordinatorKey)
    {
        services.AddMetrics();
        services.AddSingleton(coordinatorKey);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICoordinatorKeyStore>(sp => CoordinatorKeyStores.Create(sp.GetRequiredService<CoordinatorSettings>()));
        services.AddSingleton<CoordinatorKeyRing>();
        services.AddHostedService<KeyRingRefresher>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<HandshakeAdmission>();
        services.AddSingleton<HostSessions>();
        services.AddSingleton<GatewayContext>();
        services.AddSingleton<GatewayConnectionHandler>();
        services.AddSingleton<DbProxyConnectionHandler>();
        services.AddSingleton<GatewayShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayShutdown>());
        return services;
    }

    /// <summary>
    /// Binds <c>http.urls</c> (https:// ones with <c>http.certificate_path</c>) and, when <paramref name="gateway"/>, <c>coordinator.bind_address:port</c> to the gateway
    /// handler and <c>coordinator.bind_address:db_proxy_port</c> to the database proxy's.
    /// </summary>
    public static void Listen(KestrelServerOptions kestrel, CoordinatorSettings settings, bool gateway)
    {
        // One certificate for every https:// URL, loaded once (validated when the configuration was read).
        var certificate = settings.Http.HttpsConfigured ? settings.Http.LoadCertificate() : null;
        foreach (string url in settings.Http.UrlList)
        {
            var uri = new Uri(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"));
            Action<ListenOptions> https = listen =>
            {
                if (uri.Scheme == "https") listen.UseHttps(certificate!);
            };
            if (uri.IsLoopback && uri.Host == "localhost") kestrel.ListenLocalhost(uri.Port, https);
            else kestrel.Listen(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port, https);
        }
        if (gateway)
        {
            kestrel.Listen(IPAddress.Parse(settings.Coordinator.BindAddress), settings.Coordinator.Port, listen =>
            {
                listen.Use(listen.ApplicationServices.GetRequiredService<GatewayShutdown>().Track);
                listen.UseConnectionHandler<GatewayConnectionHandler>();
            });
            kestrel.Listen(IPAddress.Parse(settings.Coordinator.BindAddress), settings.Coordinator.DbProxyPort, listen =>
            {
                listen.Use(listen.ApplicationServices.GetRequiredService<GatewayShutdown>().Track);
                listen.UseConnectionHandler<DbProxyConnectionHandler>();
            });
        }
    }
}
