using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// Two in-process silos whose membership, grain state and reminders live in a real MariaDB (a database of its own),
/// with the fast membership timing the silo uses by default.
/// </summary>
public sealed class MariaDbClusterFixture : IAsyncLifetime
{
    private const string ConnectionKey = "P2PTest:ConnectionString";

    public MariaDbServer Server { get; private set; } = null!;
    public TestCluster Cluster { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await MariaDbServer.StartAsync();
        ConnectionString = await Server.CreateDatabaseAsync("grains");
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionKey] = ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            string connectionString = silo.Configuration[ConnectionKey]!;
            silo.UseAdoNetClustering(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = connectionString; });
            silo.AddAdoNetGrainStorage(StorageNames.State, o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = connectionString; });
            silo.UseAdoNetReminderService(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = connectionString; });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 3;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
            silo.Services.AddSingleton(TimeProvider.System);
            // The tests' hosts register as the gateway does (TestPlacement) but send no heartbeats: liveness is tested
            // with simulated and real agents elsewhere, not here.
            silo.Services.Configure<DistributionOptions>(o => o.HeartbeatTimeoutMs = int.MaxValue);
            silo.Services.AddP2PClusterState();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            string connectionString = configuration[ConnectionKey]!;
            client.UseAdoNetClustering(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = connectionString; });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCluster : ICollectionFixture<MariaDbClusterFixture>
{
    public const string Name = "MariaDB cluster";
}
