using Orleans.Dashboard;
using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using P2PCluster.Grains;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Silo;

/// <summary>Orleans silo configuration from <see cref="CoordinatorSettings"/>: MariaDB-backed or the embedded default.</summary>
public static class OrleansSetup
{
    public static ISiloBuilder AddP2PSilo(this ISiloBuilder silo, CoordinatorSettings settings)
    {
        var cluster = settings.Cluster;
        silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });

        silo.AddClusterEndpoints(settings);
        if (settings.Database.IsEmbedded)
        {
            var address = cluster.AdvertisedAddress.Length > 0 ? IPAddress.Parse(cluster.AdvertisedAddress) : IPAddress.Loopback;
            silo.UseDevelopmentClustering(new IPEndPoint(address, cluster.SiloPort));
            // Orleans' binary serializer, not the default JSON one (Newtonsoft): state held in memory has no stored format
            // to stay compatible with, and JSON made every write — one per RESOLVE — cost several times more.
            silo.AddMemoryGrainStorage(StorageNames.State, (OptionsBuilder<MemoryGrainStorageOptions> options) =>
                options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            silo.UseInMemoryReminderService();
        }
        else
        {
            string connectionString = settings.Database.ConnectionString;
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = DatabaseOptions.Invariant;
                o.ConnectionString = connectionString;
            });
            silo.AddP2PStateStorage(connectionString);
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = DatabaseOptions.Invariant;
                o.ConnectionString = connectionString;
            });
        }

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromMilliseconds(cluster.ProbeTimeoutMs);
            // Probes adapt between half of ProbeTimeout and MaxProbeTimeout; Orleans' default ceiling (4 × ProbeTimeout)
            // let a frozen silo live 12 s (three missed probes of 4 s). The connection liveness check suppresses votes
            // for MaxProbeTimeout × NumMissedProbesLimit after the last message, so the same ceiling bounds that too.
            o.MaxProbeTimeout = TimeSpan.FromMilliseconds(cluster.MaxProbeTimeoutMs);
            o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = cluster.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = TimeSpan.FromMilliseconds(cluster.TableRefreshTimeoutMs);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromMilliseconds(cluster.IAmAlivePublishTimeoutMs);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(cluster.ResponseTimeoutMs));

        var d = settings.Distribution;
        // The section as p2p.conf bound and validated it is what the grains read: no second copy of its defaults.
        silo.Services.AddSingleton(Options.Create(d));
        silo.Configure<ReminderOptions>(o =>
        {
            if (d.ReminderPeriod < o.MinimumReminderPeriod) o.MinimumReminderPeriod = d.ReminderPeriod;
        });
        silo.Services.AddP2PClusterState();
        silo.Services.Configure<ClusterStateOptions>(o =>
        {
            o.Interval = TimeSpan.FromMilliseconds(settings.Monitoring.MetricsInterval);
            o.Maps = [.. settings.Maps.Keys];
        });
        if (!settings.Database.IsEmbedded) silo.Services.AddSingleton<IDatabaseProbe>(new MariaDbProbe(settings.Database.ConnectionString));
        silo.AddIncomingGrainCallFilter<StoreFailureFilter>();
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// <c>cluster.silo_port</c> and <c>gateway_port</c>: advertised on <c>advertised_address</c> (empty: loopback when
    /// embedded, else this host's address) and listening there only, or on <c>bind_address</c> when set. Those ports
    /// face the other silos and stand-alone gateways; nothing else should reach them (docs/operations.md, "Ports").
    /// </summary>
    private static void AddClusterEndpoints(this ISiloBuilder silo, CoordinatorSettings settings)
    {
        var cluster = settings.Cluster;
        if (cluster.AdvertisedAddress.Length > 0 || settings.Database.IsEmbedded)
        {
            var advertised = cluster.AdvertisedAddress.Length > 0 ? IPAddress.Parse(cluster.AdvertisedAddress) : IPAddress.Loopback;
            silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        }
        else
        {
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        }
        if (cluster.BindAddress.Length == 0) return;
        var bind = IPAddress.Parse(cluster.BindAddress);
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloListeningEndpoint = new IPEndPoint(bind, cluster.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(bind, cluster.GatewayPort);
        });
    }
}
