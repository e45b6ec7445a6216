using System.Net;
using Orleans.Configuration;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>Orleans client configuration from <see cref="CoordinatorSettings"/>, mirroring the silo's.</summary>
public static class ClientSetup
{
    public static IClientBuilder AddP2PClient(this IClientBuilder client, CoordinatorSettings settings)
    {
        var cluster = settings.Cluster;
        client.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (settings.Database.IsEmbedded)
        {
            var address = cluster.AdvertisedAddress.Length > 0 ? IPAddress.Parse(cluster.AdvertisedAddress) : IPAddress.Loopback;
            client.UseStaticClustering(new IPEndPoint(address, cluster.GatewayPort));
        }
        else
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = DatabaseOptions.Invariant;
                o.ConnectionString = settings.Database.ConnectionString;
            });
        }
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromMilliseconds(cluster.GatewayListRefreshMs));
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(cluster.ResponseTimeoutMs));
        return client;
    }
}
